package io.imagescaler.handler.moderation;

/**
 * One label a moderation model put on an image, e.g. {@code Explicit Nudity} (parent empty, a top-level
 * category) or {@code Graphic Male Nudity} (parent {@code Explicit Nudity}).
 *
 * @param confidence 0..100, as Rekognition reports it
 */
public record ModerationLabel(String name, String parentName, double confidence) {

    public ModerationLabel {
        parentName = parentName == null ? "" : parentName;
    }
}
