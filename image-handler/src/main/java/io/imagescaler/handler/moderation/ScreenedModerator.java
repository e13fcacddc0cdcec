package io.imagescaler.handler.moderation;

import java.util.List;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optional pre-filter (off by default; {@code MODERATION_PREFILTER_THRESHOLD}): a {@link Moderator}
 * that asks a local {@link ModerationScreen} first and skips the wrapped model (Rekognition) when the
 * screen scores the image safe with at least the threshold's probability. Anything else - a lower
 * score, or a screen that cannot read the image - goes to the wrapped model as before.
 *
 * <p>What it gives up: the screen only knows nudity. An image it lets through is never checked for
 * Rekognition's other categories (violence, hate symbols, drugs...), so a deployment that blocks those
 * should leave the pre-filter off.
 */
public final class ScreenedModerator implements Moderator {
    private static final Logger LOG = LoggerFactory.getLogger(ScreenedModerator.class);
    public static final String SKIPPED_SUFFIX = " (pre-filter: safe, Rekognition not asked)";

    private final Moderator next;
    private final ModerationScreen screen;
    private final double threshold;

    /** @param threshold 0..1, the safe probability at or above which the wrapped model is not asked */
    public ScreenedModerator(Moderator next, ModerationScreen screen, double threshold) {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("configuration: MODERATION_PREFILTER_THRESHOLD must be in (0, 1]");
        }
        this.next = next;
        this.screen = screen;
        this.threshold = threshold;
    }

    /**
     * Wraps {@code next} in the screen found on the classpath.
     *
     * @throws IllegalStateException no screen is packaged (the plain Lambda jar): a deployment that asks
     *                               for the pre-filter must fail at start, not silently pay for every image
     */
    public static Moderator around(Moderator next, double threshold) {
        ModerationScreen screen = ServiceLoader.load(ModerationScreen.class).findFirst().orElseThrow(() ->
                new IllegalStateException("configuration: MODERATION_PREFILTER_THRESHOLD is set but this package "
                        + "has no moderation screen; deploy image-handler-prefilter-lambda.jar (module moderation-model)"));
        LOG.info("moderation pre-filter: {} skips Rekognition at safe probability >= {}", screen.modelVersion(), threshold);
        return new ScreenedModerator(next, screen, threshold);
    }

    @Override
    public Detected detect(byte[] image, double minConfidence) {
        double safe;
        try {
            safe = screen.safeProbability(image);
        } catch (RuntimeException e) {
            LOG.warn("moderation pre-filter could not score the image ({}); asking the full model", e.toString());
            return next.detect(image, minConfidence);
        }
        if (safe >= threshold) {
            return new Detected(List.of(), screen.modelVersion() + SKIPPED_SUFFIX);
        }
        return next.detect(image, minConfidence);
    }
}
