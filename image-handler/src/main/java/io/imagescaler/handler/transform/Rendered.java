package io.imagescaler.handler.transform;

import io.imagescaler.spec.ImageFormat;

/** An encoded variant and the time each stage took (for Server-Timing and tracing). */
public record Rendered(byte[] bytes, ImageFormat format, int width, int height, StageTimings timings) {
}
