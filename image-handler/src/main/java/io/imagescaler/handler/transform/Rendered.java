package io.imagescaler.handler.transform;

import io.imagescaler.spec.ImageFormat;

/**
 * An encoded variant, the time each stage took (for Server-Timing and tracing), and whether it is final:
 * the fallback engine's output is not ({@link Backend#finalOutput}), so it is neither stored in the
 * generated bucket nor cached as immutable.
 */
public record Rendered(byte[] bytes, ImageFormat format, int width, int height, StageTimings timings,
                       boolean finalOutput) {

    public Rendered(byte[] bytes, ImageFormat format, int width, int height, StageTimings timings) {
        this(bytes, format, width, height, timings, true);
    }
}
