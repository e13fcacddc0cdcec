package io.imagescaler.handler.transform;

import io.imagescaler.handler.error.ImageScalerException.LimitExceeded;
import io.imagescaler.handler.transform.probe.Header;
import io.imagescaler.handler.transform.probe.HeaderProbe;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;

/**
 * The transform engine: the header is read and every limit checked before a pixel is decoded, then
 * the steps below run in this order, each in its own file: decode, the pixel steps, encode (an
 * animation kept animated decodes and encodes all its frames instead, see {@link Animation}). Native pixel buffers live in a scope that
 * is freed when the render ends, so memory per request is bounded by the source bytes, the decoded
 * (already shrunk) image and a few working copies of the output size.
 */
public final class Pipeline implements TransformEngine {

    private static final Step DECODE = new ShrinkOnLoad();

    /** Everything between decoding and encoding; each frame of an {@link Animation} goes through it. */
    private static final List<Step> PIXEL_STEPS = List.of(
            new ConvertToSrgb(),
            new Orient(),
            new Resize(),
            new Crop(),
            new Pad(),
            new RotateAndFlip(),
            new Blur(),
            new Sharpen(),
            new Grayscale(),
            new Flatten());

    private static final Encode ENCODE = new Encode();

    @Override
    public SourceInfo probe(byte[] source, Limits limits) {
        return checkedHeader(source, limits).info();
    }

    @Override
    public Rendered render(byte[] source, SourceInfo info, TransformSpec spec, ImageFormat format, Limits limits) {
        long t0 = System.nanoTime();
        Header header = checkedHeader(source, limits);
        Geometry geometry = Geometry.plan(header.info().displayWidth(), header.info().displayHeight(), spec, limits);
        RenderJob job = new RenderJob(source, header, spec, format, limits, geometry);
        job.timings.record("probe", (System.nanoTime() - t0) / 1e6);
        try (PointerScope scope = new PointerScope()) {
            if (Animation.wanted(job)) {
                renderAnimation(job);
            } else {
                run(DECODE, job, job);
                PIXEL_STEPS.forEach(step -> run(step, job, job));
                run(ENCODE, job, job);
            }
            return new Rendered(job.encoded, format, job.width(), job.height(), job.timings);
        }
    }

    /** Every frame through the pixel steps, with one crop window for all (a smart crop must not jump). */
    private static void renderAnimation(RenderJob job) {
        long t0 = System.nanoTime();
        Animation animation = Animation.decode(job.source);
        job.timings.record(DECODE.stage(), (System.nanoTime() - t0) / 1e6);
        List<org.bytedeco.opencv.opencv_core.Mat> rendered = new java.util.ArrayList<>();
        for (var frame : animation.frames()) {
            RenderJob frameJob = job.forFrame(frame);
            PIXEL_STEPS.forEach(step -> run(step, frameJob, job));
            job.cropWindow = frameJob.cropWindow;
            rendered.add(frameJob.pixels);
        }
        job.pixels = rendered.getFirst();
        long t1 = System.nanoTime();
        job.encoded = animation.encode(rendered, job.format, ENCODE.quality(job));
        job.timings.record(ENCODE.stage(), (System.nanoTime() - t1) / 1e6);
    }

    private static void run(Step step, RenderJob job, RenderJob timed) {
        long t = System.nanoTime();
        step.apply(job);
        timed.timings.record(step.stage(), (System.nanoTime() - t) / 1e6);
    }

    private static Header checkedHeader(byte[] source, Limits limits) {
        Header header = HeaderProbe.read(source, limits.maxFrames());
        SourceInfo info = header.info();
        if (info.pixels() > limits.maxSourcePixels()) {
            throw new LimitExceeded("the image is " + info.width() + "x" + info.height() + " ("
                    + Math.round(info.pixels() / 1e6) + " MP); at most " + Math.round(limits.maxSourcePixels() / 1e6)
                    + " MP are accepted");
        }
        if (info.frames() > limits.maxFrames()) {
            throw new LimitExceeded("the image has more than " + limits.maxFrames() + " frames");
        }
        return header;
    }
}
