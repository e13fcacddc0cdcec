package io.imagescaler.handler.transform;

import io.imagescaler.handler.transform.probe.Header;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.util.List;
import org.bytedeco.javacpp.PointerScope;

/**
 * The transform engine: the header is read and every limit checked before a pixel is decoded, then
 * the steps below run in this order, each in its own file. Native pixel buffers live in a scope that
 * is freed when the render ends, so memory per request is bounded by the source bytes, the decoded
 * (already shrunk) image and a few working copies of the output size.
 */
public final class Pipeline implements TransformEngine {

    private static final List<Step> STEPS = List.of(
            new ShrinkOnLoad(),
            new ConvertToSrgb(),
            new Orient(),
            new Resize(),
            new Crop(),
            new Pad(),
            new RotateAndFlip(),
            new Blur(),
            new Sharpen(),
            new Grayscale(),
            new Flatten(),
            new Encode());

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
            for (Step step : STEPS) {
                long t = System.nanoTime();
                step.apply(job);
                job.timings.record(step.stage(), (System.nanoTime() - t) / 1e6);
            }
            return new Rendered(job.encoded, format, job.width(), job.height(), job.timings);
        }
    }

    private static Header checkedHeader(byte[] source, Limits limits) {
        return HeaderCheck.read(source, limits);
    }
}
