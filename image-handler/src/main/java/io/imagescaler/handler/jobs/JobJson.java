package io.imagescaler.handler.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The public JSON view of a job: the API's answer, the webhook's body and the events' detail share it, so a
 * subscriber reads the same fields wherever it meets a job. Result links are signed when the view is made.
 */
public final class JobJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JobJson() {
    }

    public static ObjectNode of(Job job, ResultLinks links) {
        ObjectNode n = JSON.createObjectNode();
        n.put("jobId", job.id());
        n.put("imageId", job.imageId().value());
        n.put("owner", job.owner());
        n.put("status", job.status().name());
        job.reason().ifPresent(r -> n.put("reason", r));
        ArrayNode transforms = n.putArray("transforms");
        job.transforms().forEach(transforms::add);
        if (job.hasRecipient()) {
            ObjectNode notify = n.putObject("notify");
            job.email().ifPresent(e -> notify.put("email", e));
            job.webhook().ifPresent(w -> notify.put("webhook", w.toString()));
        }
        n.put("attempts", job.attempts());
        ArrayNode results = n.putArray("results");
        for (Job.Result r : job.results()) {
            ObjectNode o = results.addObject();
            o.put("transform", r.transform());
            o.put("key", r.key());
            o.put("contentType", r.contentType());
            o.put("bytes", r.bytes());
            o.put("width", r.width());
            o.put("height", r.height());
            o.put("method", r.method());
            links.link(r.key()).ifPresent(u -> o.put("url", u.toString()));
        }
        if (!job.deliveries().isEmpty()) {
            ArrayNode deliveries = n.putArray("deliveries");
            for (Job.Delivery d : job.deliveries()) {
                ObjectNode o = deliveries.addObject();
                o.put("channel", d.channel());
                o.put("outcome", d.delivered() ? "delivered" : "failed");
                d.reason().ifPresent(r -> o.put("reason", r));
                o.put("attempts", d.attempts());
            }
        }
        n.put("createdAt", job.createdAt().toString());
        n.put("updatedAt", job.updatedAt().toString());
        n.putObject("links").put("self", "/v1/jobs/" + job.id())
                .put("image", "/v1/images/" + job.imageId().value() + "/metadata");
        return n;
    }
}
