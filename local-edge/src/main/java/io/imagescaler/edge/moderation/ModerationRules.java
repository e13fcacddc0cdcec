package io.imagescaler.edge.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The answers of the local moderation server, from a JSON file keyed by the sha256 (hex) of the image
 * bytes the server receives. An image without a rule gets no labels. The file is read on every request,
 * so rules can change while the edge runs (an admin's re-moderation then sees the new answer).
 *
 * <pre>{@code
 * { "modelVersion": "local-rules",
 *   "images": { "<sha256 hex>": [ {"name": "Explicit Nudity", "parentName": "", "confidence": 98.5} ] } }
 * }</pre>
 *
 * This is not a classifier: it only repeats what the file says.
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

    public Answer answerFor(String sha256Hex) {
        if (!Files.isRegularFile(file)) {
            return new Answer(List.of(), DEFAULT_MODEL_VERSION);
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("moderation rules " + file + " are not valid JSON", e);
        }
        String version = root.path("modelVersion").asText(DEFAULT_MODEL_VERSION);
        List<Label> labels = new ArrayList<>();
        for (JsonNode l : root.path("images").path(sha256Hex)) {
            String parent = l.path("parentName").asText("");
            labels.add(new Label(l.path("name").asText(), parent, l.path("confidence").asDouble(),
                    l.path("taxonomyLevel").asInt(parent.isEmpty() ? 1 : 2)));
        }
        return new Answer(labels, version);
    }
}
