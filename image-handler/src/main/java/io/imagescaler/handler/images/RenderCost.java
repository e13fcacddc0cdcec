package io.imagescaler.handler.images;

import io.imagescaler.handler.config.HandlerConfig.Resilience;
import io.imagescaler.handler.error.ImageScalerException.LimitExceeded;
import io.imagescaler.spec.Fit;
import io.imagescaler.spec.TransformSpec;
import io.imagescaler.spec.Upscale;

/**
 * What one render may cost, decided from the record's dimensions and the transform before the original
 * is fetched or a pixel decoded: the output's pixels, and the effect work (output pixels times the
 * taps of the blur or sharpen kernel, a separable Gaussian of about 6 sigma + 1 taps per pass). A
 * request above either is refused with 400 {@code limit-exceeded}, naming the budget and what would fit.
 * The output size is an upper bound of what the engine's geometry makes (written here, outside the
 * engine, so the engine stays the one place that decides the exact size).
 */
final class RenderCost {
    private final long maxOutputPixels;
    private final long maxEffectWork;

    RenderCost(Resilience budget) {
        this.maxOutputPixels = budget.maxOutputPixels();
        this.maxEffectWork = budget.maxEffectWork();
    }

    /** @param width,height the original's displayed size (the record's) */
    void check(TransformSpec spec, int width, int height, int frames) {
        long out = outputPixelsAtMost(spec, width, height);
        if (out > maxOutputPixels) {
            throw LimitExceeded.byRequest("the output would have up to " + out + " pixels; one render may produce at "
                    + "most " + maxOutputPixels + " (ask for a smaller w/h/dpr)");
        }
        long taps = Math.max(taps(spec.blur()), taps(spec.sharpen()));
        long work = out * Math.max(1, frames) * taps;
        if (taps > 1 && work > maxEffectWork) {
            throw LimitExceeded.byRequest("blur/sharpen over " + out + " pixels" + (frames > 1 ? " x " + frames
                    + " frames" : "") + " is " + work + " kernel taps; one render may do at most " + maxEffectWork
                    + " (a smaller sigma or a smaller output fits)");
        }
    }

    /** Two passes of a separable Gaussian cut at 3 sigma each side. */
    static long taps(double sigma) {
        return sigma <= 0 ? 1 : 2 * (2 * (long) Math.ceil(3 * sigma) + 1);
    }

    /** An upper bound of the output's pixels for this transform of a {@code width x height} original. */
    static long outputPixelsAtMost(TransformSpec spec, int width, int height) {
        long w = Math.max(1, width);
        long h = Math.max(1, height);
        long pw = spec.pixelWidth();
        long ph = spec.pixelHeight();
        if (pw == 0 && ph == 0) {
            return w * h;
        }
        boolean enlarge = spec.upscale() != Upscale.NONE;
        if (pw > 0 && ph > 0 && spec.fit() != Fit.INSIDE) {
            // cover crops to the box, contain pads to it, fill stretches to it
            return spec.fit() == Fit.COVER && !enlarge ? Math.min(pw, w) * Math.min(ph, h) : pw * ph;
        }
        double scale = Math.min(pw > 0 ? (double) pw / w : Double.MAX_VALUE, ph > 0 ? (double) ph / h : Double.MAX_VALUE);
        if (!enlarge) {
            scale = Math.min(scale, 1);
        }
        return (long) Math.ceil(w * scale) * (long) Math.ceil(h * scale);
    }
}
