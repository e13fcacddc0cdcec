package io.imagescaler.handler.moderation;

import io.imagescaler.handler.transform.Limits;
import io.imagescaler.handler.transform.Rendered;
import io.imagescaler.handler.transform.SourceInfo;
import io.imagescaler.handler.transform.TransformEngine;
import io.imagescaler.spec.Fit;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import io.imagescaler.spec.Upscale;

/**
 * The master served in place of a flagged original. A Gaussian blur alone leaves shapes readable on a
 * large image unless its radius is huge (and slow), so the image is first reduced to {@value #TINY}
 * pixels on its long side - too few to hold anything recognisable - then enlarged back with Lanczos
 * and blurred to hide the interpolation ripples. The master is at most {@value #MAX_SIDE} px on its long
 * side: nobody needs a larger blurred image, and it bounds the work. Transparency is flattened (onto the
 * engine's default background) at the tiny stage: enlarging and blurring nearly transparent pixels left
 * visible speckles, and a placeholder needs no alpha.
 */
public final class BlurredMaster {
    static final int TINY = 16;
    static final int MAX_SIDE = 1600;

    private BlurredMaster() {
    }

    /** @return the blurred master, a JPEG */
    public static Rendered render(TransformEngine engine, byte[] original, SourceInfo info, Limits limits) {
        Rendered tiny = engine.render(original, info,
                TransformSpec.builder().width(TINY).height(TINY).quality(100).build(), ImageFormat.JPG, limits);
        int longSide = Math.max(info.displayWidth(), info.displayHeight());
        double scale = Math.min(1.0, (double) MAX_SIDE / longSide);
        int w = Math.max(1, (int) Math.round(info.displayWidth() * scale));
        int h = Math.max(1, (int) Math.round(info.displayHeight() * scale));
        double sigma = Math.clamp(Math.max(w, h) / 50.0, 0.3, 100);
        TransformSpec enlarge = TransformSpec.builder().width(w).height(h).fit(Fit.FILL)
                .upscale(Upscale.LANCZOS).blur(sigma).build();
        byte[] small = tiny.bytes();
        return engine.render(small, engine.probe(small, limits), enlarge, ImageFormat.JPG, limits);
    }
}
