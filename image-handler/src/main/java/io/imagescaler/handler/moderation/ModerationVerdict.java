package io.imagescaler.handler.moderation;

import java.time.Instant;
import java.util.List;

/**
 * The moderation decision stored on an image record. It is decided at upload (or by an admin's
 * re-moderation), never per request.
 *
 * @param labels       every label the model reported at or above the minimum confidence
 * @param modelVersion the model that produced the labels
 * @param reason       why the action was taken, in words for the uploader and the admin
 */
public record ModerationVerdict(Action action, List<ModerationLabel> labels, String modelVersion, String reason,
                                Instant checkedAt) {

    public enum Action {
        /** Nothing blocked: the original is served. */
        ALLOW,
        /** A blocked category: a blurred copy is served, the original kept in quarantine. */
        BLUR,
        /** A rejected category: nothing is served, the original is kept in quarantine only. */
        REJECT
    }

    public ModerationVerdict {
        labels = List.copyOf(labels);
    }
}
