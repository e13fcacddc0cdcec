package io.imagescaler.handler.moderation;

import java.util.List;

/** What the moderation model answered for one image: its labels and the model version that chose them. */
public record Detected(List<ModerationLabel> labels, String modelVersion) {

    public Detected {
        labels = List.copyOf(labels);
        modelVersion = modelVersion == null ? "unknown" : modelVersion;
    }
}
