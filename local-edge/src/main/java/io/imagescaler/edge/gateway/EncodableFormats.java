package io.imagescaler.edge.gateway;

import io.imagescaler.handler.transform.Limits;
import io.imagescaler.handler.transform.SourceInfo;
import io.imagescaler.handler.transform.TransformEngine;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The formats the running engine encodes, found by asking it to: a 1×1 image is rendered once in each format at
 * start. The edge function's {@code ENCODES} line is set from this, so {@code .auto} never names a format the
 * engine in this process cannot make (AVIF on the pure-Java fallback engine); the engine is the one place that
 * knows.
 */
public final class EncodableFormats {
    /** A 1×1 RGBA PNG (67 bytes). */
    private static final byte[] PIXEL = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private EncodableFormats() {
    }

    /** Extensions ({@code jpg}, {@code avif}, ...) of the formats {@code engine} rendered the probe pixel in. */
    public static Set<String> of(TransformEngine engine) {
        Set<String> out = new LinkedHashSet<>();
        SourceInfo info = engine.probe(PIXEL, Limits.DEFAULT);
        for (ImageFormat format : ImageFormat.values()) {
            try {
                if (engine.render(PIXEL, info, TransformSpec.parse("w_1"), format, Limits.DEFAULT).bytes().length > 0) {
                    out.add(format.extension());
                }
            } catch (RuntimeException e) {
                // this engine has no encoder for the format (the pure-Java engine and AVIF)
            }
        }
        return out;
    }
}
