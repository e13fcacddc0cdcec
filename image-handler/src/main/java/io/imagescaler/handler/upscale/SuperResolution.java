package io.imagescaler.handler.upscale;

import io.imagescaler.handler.transform.Geometry;
import io.imagescaler.handler.transform.Limits;
import io.imagescaler.handler.transform.Rendered;
import io.imagescaler.handler.transform.SourceInfo;
import io.imagescaler.handler.transform.StageTimings;
import io.imagescaler.handler.transform.TransformEngine;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import io.imagescaler.spec.Upscale;
import java.util.Optional;

/**
 * Serves {@code up_sr} variants that need more pixels than the original has: the upright sRGB original
 * goes to the SR endpoint at the smallest model scale that covers the enlargement (or the largest it
 * has), and the engine then resizes the result to the exact target. When the endpoint is missing,
 * fails or is too slow, the variant is made with Lanczos instead and the result says why, so the
 * caller can give it a short cache life and not keep it as final.
 */
public final class SuperResolution {

    /** A rendered variant, and the reason when it is a Lanczos stand-in for a failed SR call. */
    public record Result(Rendered rendered, String method, Optional<String> fallbackReason) {
    }

    private final Optional<Upscaler> upscaler;
    private final TransformEngine engine;
    private final long maxInputPixels;

    public SuperResolution(Optional<Upscaler> upscaler, TransformEngine engine, long maxInputPixels) {
        this.upscaler = upscaler;
        this.engine = engine;
        this.maxInputPixels = maxInputPixels;
    }

    /** True when the transform asks for SR and the plan makes the image larger. */
    public static boolean applies(SourceInfo info, TransformSpec spec, Limits limits) {
        return spec.upscale() == Upscale.SR
                && Geometry.plan(info.displayWidth(), info.displayHeight(), spec, limits)
                        .enlarges(info.displayWidth(), info.displayHeight());
    }

    public Result render(byte[] source, SourceInfo info, TransformSpec spec, ImageFormat format, Limits limits) {
        int w = info.displayWidth();
        int h = info.displayHeight();
        Geometry plan = Geometry.plan(w, h, spec, limits);
        double factor = Math.max((double) plan.scaledWidth() / w, (double) plan.scaledHeight() / h);
        if (upscaler.isEmpty()) {
            return lanczos(source, info, spec, format, limits, "no super-resolution endpoint is configured");
        }
        if (info.pixels() > maxInputPixels) {
            return lanczos(source, info, spec, format, limits, "the original is above SR_MAX_INPUT_PIXELS");
        }
        Upscaler sr = upscaler.get();
        int scale = sr.scales().stream().filter(s -> s >= factor).findFirst().orElse(sr.scales().last());
        StageTimings timings = new StageTimings();
        // Upright, sRGB, metadata-free pixels: the model knows nothing of EXIF or ICC.
        byte[] upright = timings.time("sr-prepare",
                () -> engine.render(source, info, TransformSpec.NONE, ImageFormat.PNG, limits).bytes());
        byte[] enlarged;
        try {
            enlarged = timings.time("sr", () -> sr.upscale(upright, scale));
        } catch (Upscaler.UpscaleFailed e) {
            return lanczos(source, info, spec, format, limits, e.getMessage());
        }
        Limits srLimits = new Limits(Math.max(limits.maxSourcePixels(), (long) w * h * scale * scale),
                limits.maxFrames(), limits.maxOutputSide());
        SourceInfo enlargedInfo = engine.probe(enlarged, srLimits);
        Rendered out = engine.render(enlarged, enlargedInfo, spec.toBuilder().upscale(Upscale.LANCZOS).build(), format,
                srLimits);
        timings.addAll(out.timings());
        return new Result(new Rendered(out.bytes(), out.format(), out.width(), out.height(), timings, out.finalOutput()),
                "sr-x" + scale,
                Optional.empty());
    }

    private Result lanczos(byte[] source, SourceInfo info, TransformSpec spec, ImageFormat format, Limits limits,
                           String why) {
        Rendered out = engine.render(source, info, spec.toBuilder().upscale(Upscale.LANCZOS).build(), format, limits);
        return new Result(out, "lanczos", Optional.of(why));
    }
}
