package io.imagescaler.handler.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.handler.auth.Guard;
import io.imagescaler.handler.error.ImageScalerException;
import io.imagescaler.handler.images.ImageService;
import io.imagescaler.handler.error.ImageScalerException.InvalidRequest;
import io.imagescaler.handler.storage.Incoming;
import io.imagescaler.handler.uploads.LargeUploads;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code POST /v1/uploads} and {@code POST /v1/uploads/{id}/complete} (large uploads). */
final class UploadRoutes {
    private static final Pattern COMPLETE = Pattern.compile("^/v1/uploads/([^/]+)/complete$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LargeUploads uploads;
    private final ImageService images;
    private final Guard guard;

    UploadRoutes(LargeUploads uploads, ImageService images, Guard guard) {
        this.uploads = uploads;
        this.images = images;
        this.guard = guard;
    }

    Optional<HttpResponse> route(HttpRequest r) {
        if (r.path().equals("/v1/uploads")) {
            requirePost(r);
            String owner = guard.uploader(r);
            JsonNode body = json(r);
            JsonNode bytes = body.path("bytes");
            if (!bytes.canConvertToLong() || !bytes.isIntegralNumber()) {
                throw new InvalidRequest("send {\"bytes\": <size of the file>} as the body");
            }
            JsonNode webhook = body.path("webhook");
            if (!webhook.isMissingNode() && !webhook.isTextual()) {
                throw new InvalidRequest("webhook must be a URL string");
            }
            JsonNode email = body.path("email");
            if (!email.isMissingNode() && !email.isTextual()) {
                throw new InvalidRequest("email must be an address string");
            }
            LargeUploads.Start start = uploads.start(bytes.asLong(), owner,
                    Optional.ofNullable(webhook.isTextual() ? webhook.asText() : null),
                    Optional.ofNullable(email.isTextual() ? email.asText() : null), r.header("Idempotency-Key"),
                    r.body());
            LargeUploads.Started started = start.started();
            var answer = RecordJson.node(started.record());
            String id = started.record().id().value();
            answer.put("uploadId", started.uploadId());
            answer.put("partSize", started.partSize());
            answer.put("expiresAt", started.expiresAt().toString());
            answer.put("complete", "/v1/uploads/" + id + "/complete");
            var parts = answer.putArray("parts");
            for (int i = 0; i < started.partUrls().size(); i++) {
                parts.addObject().put("partNumber", i + 1).put("url", started.partUrls().get(i).toString());
            }
            HttpResponse created = HttpResponse.json(201, answer.toString()).with("Cache-Control", "no-store")
                    .with("Location", "/v1/images/" + id + "/metadata");
            return Optional.of(start.replayed() ? created.with("Idempotent-Replayed", "true") : created);
        }
        Matcher complete = COMPLETE.matcher(r.path());
        if (complete.matches()) {
            requirePost(r);
            guard.requireOwner(r, images.metadata(complete.group(1)).owner());
            JsonNode list = json(r).path("parts");
            if (!list.isArray()) {
                throw new InvalidRequest("send {\"parts\":[{\"partNumber\":1,\"etag\":\"...\"},...]} as the body");
            }
            List<Incoming.Part> parts = new ArrayList<>();
            for (JsonNode p : list) {
                if (!p.path("partNumber").isIntegralNumber()) {
                    throw new InvalidRequest("every part needs an integer partNumber");
                }
                parts.add(new Incoming.Part(p.path("partNumber").asInt(), p.path("etag").asText(null)));
            }
            var record = uploads.complete(complete.group(1), parts);
            return Optional.of(HttpResponse.json(202, RecordJson.of(record)).with("Cache-Control", "no-store")
                    .with("Location", "/v1/images/" + record.id().value() + "/metadata"));
        }
        return Optional.empty();
    }

    private static JsonNode json(HttpRequest r) {
        try {
            JsonNode node = JSON.readTree(r.body());
            if (node == null || !node.isObject()) throw new IOException("not an object");
            return node;
        } catch (IOException e) {
            throw new InvalidRequest("the body must be a JSON object");
        }
    }

    private static void requirePost(HttpRequest r) {
        if (!r.method().equals("POST")) {
            throw new ImageScalerException.MethodNotAllowed(r.method() + " is not allowed on " + r.path()
                    + "; use POST", "POST");
        }
    }
}
