package io.imagescaler.handler.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.handler.error.ImageScalerException.InvalidRequest;
import io.imagescaler.spec.InvalidTransformException;
import io.imagescaler.spec.VariantPath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The body of {@code POST /v1/images/{id}/jobs}: {@code {"transform": "w_4000,up_sr.png"}} or
 * {@code {"transforms": ["w_4000,up_sr.png", "w_800.webp"]}}, and optionally
 * {@code "notify": {"email": "...", "webhook": "https://..."}}. Each transform is a variant segment with its
 * format; {@code .auto} is refused (a job has no viewer whose Accept header could choose).
 */
public record JobRequest(List<VariantPath> transforms, Optional<String> email, Optional<String> webhook) {
    /** Transforms per job: enough for a set of derivatives, bounded so one job stays one worker's minutes. */
    public static final int MAX_TRANSFORMS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static JobRequest parse(byte[] body) {
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? null : JSON.readTree(body);
        } catch (IOException e) {
            throw new InvalidRequest("the body is not JSON: send {\"transform\": \"w_4000,up_sr.png\"}");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequest("the body must be a JSON object: {\"transform\": \"w_4000,up_sr.png\"}");
        }
        List<String> spelled = new ArrayList<>();
        if (root.has("transform") == root.has("transforms")) {
            throw new InvalidRequest("name the work with either \"transform\" (one) or \"transforms\" (a list)");
        }
        if (root.has("transform")) {
            spelled.add(text(root.get("transform"), "transform"));
        } else {
            JsonNode list = root.get("transforms");
            if (!list.isArray() || list.isEmpty() || list.size() > MAX_TRANSFORMS) {
                throw new InvalidRequest("transforms must be a list of 1 to " + MAX_TRANSFORMS + " transforms");
            }
            list.forEach(t -> spelled.add(text(t, "transforms[]")));
        }
        List<VariantPath> paths = new ArrayList<>();
        for (String s : spelled) {
            VariantPath path;
            try {
                path = VariantPath.parse(s);
            } catch (InvalidTransformException e) {
                throw new InvalidRequest("transform '" + s + "': " + e.getMessage());
            }
            if (path.format().isEmpty()) {
                throw new InvalidRequest("transform '" + s + "' must name its format (.jpg, .png, .webp, .avif, "
                        + ".gif): a job has no viewer whose Accept header could choose one");
            }
            paths.add(path);
        }
        JsonNode notify = root.path("notify");
        if (!notify.isMissingNode() && !notify.isObject()) {
            throw new InvalidRequest("notify must be an object: {\"email\": \"...\", \"webhook\": \"https://...\"}");
        }
        Optional<String> email = notify.hasNonNull("email") ? Optional.of(text(notify.get("email"), "notify.email"))
                : Optional.empty();
        Optional<String> webhook = notify.hasNonNull("webhook")
                ? Optional.of(text(notify.get("webhook"), "notify.webhook")) : Optional.empty();
        return new JobRequest(List.copyOf(paths), email, webhook);
    }

    private static String text(JsonNode node, String name) {
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw new InvalidRequest(name + " must be a non-empty string");
        }
        return node.asText();
    }
}
