package io.imagescaler.handler.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagescaler.handler.error.ImageScalerException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place errors become HTTP: RFC 9457 problem documents with stable types, no stack traces. */
public final class Problems {
    public static final String TYPE_BASE = "https://image-scaler.dev/problems/";
    public static final String MEDIA_TYPE = "application/problem+json";
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    public static HttpResponse of(ImageScalerException e, String instance) {
        if (e.status() >= 500) {
            LOG.error("{} at {}: {}", e.slug(), instance, e.getMessage(), e.getCause());
        }
        HttpResponse answer = problem(e.status(), e.slug(), e.title(), e.getMessage(), instance);
        if (e instanceof ImageScalerException.MethodNotAllowed m && !m.allow().isEmpty()) {
            answer = answer.with("Allow", m.allow());
        }
        return e.retryAfterSeconds().isPresent()
                ? answer.with("Retry-After", Integer.toString(e.retryAfterSeconds().getAsInt())) : answer;
    }

    /** Anything unexpected: logged with its stack, answered without it. */
    public static HttpResponse unexpected(RuntimeException e, String instance) {
        LOG.error("unexpected failure at {}", instance, e);
        return problem(500, "internal-error", "Internal error",
                "the request failed unexpectedly; it was logged", instance);
    }

    public static HttpResponse problem(int status, String slug, String title, String detail, String instance) {
        ObjectNode body = JSON.createObjectNode();
        body.put("type", TYPE_BASE + slug);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", instance);
        return HttpResponse.of(status, MEDIA_TYPE, body.toString().getBytes(StandardCharsets.UTF_8))
                .with("Cache-Control", "no-store");
    }
}
