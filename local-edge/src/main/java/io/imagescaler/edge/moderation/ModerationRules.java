package io.imagescaler.edge.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fixed answers of the local moderation server, from a JSON file keyed by the sha256 (hex) of the image
 * bytes the server receives: an explicit override of the model for tests that need a given verdict (an
 * empty list is an override too: no labels). An image without a rule is left to the model. The file is
 * read on every request, so rules can change while the edge runs (an admin's re-moderation then sees the
 * new answer).
 *
 * <pre>{@code
 * { "modelVersion": "local-rules",
 *   "images": { "<sha256 hex>": [ {"name": "Explicit Nudity", "parentName": "", "confidence": 98.5} ] } }
 * }</pre>
 *
 * The rules are not a classifier: they only repeat what the file says.
 */
public final class ModerationRules {
    public static final String DEFAULT_MODEL_VERSION = "local-rules";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One label in a rule, named as Rekognition names them. */
    public record Label(String name, String parentName, double confidence, int taxonomyLevel) {
    }

    public record Answer(List<Label> labels, String modelVersion) {
    }

    private final Path file;

    public ModerationRules(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** @return the rule's answer, or empty when the file has no rule for these bytes */
    public Optional<Answer> answerFor(String sha256Hex) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("moderation rules " + file + " are not valid JSON", e);
        }
        JsonNode rule = root.path("images").path(sha256Hex);
        if (!rule.isArray()) {
            return Optional.empty();
        }
        String version = root.path("modelVersion").asText(DEFAULT_MODEL_VERSION);
        List<Label> labels = new ArrayList<>();
        for (JsonNode l : rule) {
            String parent = l.path("parentName").asText("");
            labels.add(new Label(l.path("name").asText(), parent, l.path("confidence").asDouble(),
                    l.path("taxonomyLevel").asInt(parent.isEmpty() ? 1 : 2)));
        }
        return Optional.of(new Answer(labels, version));
    }
}
