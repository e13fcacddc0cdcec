package io.imagescaler.handler.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagescaler.handler.images.ImageRecord;

/** The public JSON view of an image record (metadata and upload answers). */
public final class RecordJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordJson() {
    }

    public static String of(ImageRecord r) {
        return node(r).toString();
    }

    public static ObjectNode node(ImageRecord r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", r.id().value());
        n.put("owner", r.owner());
        n.put("status", r.status().name());
        n.put("contentType", r.contentType());
        n.put("width", r.width());
        n.put("height", r.height());
        n.put("frames", r.frames());
        n.put("bytes", r.bytes());
        n.put("sha256", r.sha256());
        n.put("createdAt", r.createdAt().toString());
        r.statusReason().ifPresent(reason -> n.put("statusReason", reason));
        r.moderation().ifPresent(v -> {
            ObjectNode m = n.putObject("moderation");
            m.put("action", v.action().name());
            m.put("reason", v.reason());
            m.put("modelVersion", v.modelVersion());
            m.put("checkedAt", v.checkedAt().toString());
            var labels = m.putArray("labels");
            v.labels().forEach(l -> labels.addObject().put("name", l.name()).put("parentName", l.parentName())
                    .put("confidence", l.confidence()));
        });
        ObjectNode links = n.putObject("links");
        String base = "/v1/images/" + r.id().value();
        links.put("original", base + "/original");
        links.put("metadata", base + "/metadata");
        links.put("example", base + "/w_800.webp");
        return n;
    }
}
