package io.imagescaler.handler.transform.portable;

import io.imagescaler.handler.transform.Geometry;
import io.imagescaler.handler.transform.Limits;
import io.imagescaler.handler.transform.StageTimings;
import io.imagescaler.handler.transform.probe.Header;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;

/**
 * The state of one portable render as it moves through the steps: what was asked, what the header
 * said, the plan, the current {@link Pixels}, and finally the encoded bytes. One per request.
 */
final class RenderJob {
    /** The original in memory, or null when it is read from {@link #file}. */
    final byte[] source;
    /** The original on disk (a large upload), or null. */
    final java.nio.file.Path file;
    final Header header;
    final TransformSpec spec;
    final ImageFormat format;
    final Limits limits;
    final Geometry geometry;
    final StageTimings timings = new StageTimings();
    /** Whether the pixels are already sRGB (the decoder applied the colour model or the CMYK profile). */
    boolean colourManaged;
    Pixels pixels;
    byte[] encoded;

    RenderJob(byte[] source, java.nio.file.Path file, Header header, TransformSpec spec, ImageFormat format,
              Limits limits, Geometry geometry) {
        this.source = source;
        this.file = file;
        this.header = header;
        this.spec = spec;
        this.format = format;
        this.limits = limits;
        this.geometry = geometry;
    }

    int width() {
        return pixels.width();
    }

    int height() {
        return pixels.height();
    }

    boolean hasAlpha() {
        return pixels.alpha();
    }

    /** Whether the output format can carry transparency. */
    boolean outputKeepsAlpha() {
        return format == ImageFormat.PNG || format == ImageFormat.WEBP;
    }
}
