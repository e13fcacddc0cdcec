package io.imagescaler.handler.transform.portable;

import io.imagescaler.handler.transform.Geometry;
import io.imagescaler.handler.transform.HeaderCheck;
import io.imagescaler.handler.transform.Limits;
import io.imagescaler.handler.transform.Rendered;
import io.imagescaler.handler.transform.SourceInfo;
import io.imagescaler.handler.transform.TransformEngine;
import io.imagescaler.handler.transform.probe.Header;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * The pure-Java transform engine: the same plan ({@link Geometry}), limits, header probes and errors as
 * the native {@link io.imagescaler.handler.transform.Pipeline}, and the same steps in the same order,
 * one file each here, on {@link Pixels} instead of OpenCV matrices. It runs wherever a JVM runs (no
 * native library to load), slower; {@link io.imagescaler.handler.transform.EngineSelection} picks it
 * when the natives cannot load. WebP output is lossless ({@link LosslessWebp}).
 *
 * <p>Memory per request: the source bytes, the decoded image (JPEG subsampled on load), two float
 * working copies of the resized size, and the output.
 */
public final class PortablePipeline implements TransformEngine {

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
        return HeaderCheck.read(source, limits).info();
    }

    @Override
    public SourceInfo probe(Path file, Limits limits) {
        return HeaderCheck.read(file, limits).info();
    }

    @Override
    public Rendered render(byte[] source, SourceInfo info, TransformSpec spec, ImageFormat format, Limits limits) {
        long t0 = System.nanoTime();
        return run(source, null, HeaderCheck.read(source, limits), t0, spec, format, limits);
    }

    /** From a file: ImageIO streams it (JPEG subsampled while reading), so the heap never holds the file. */
    @Override
    public Rendered render(Path file, SourceInfo info, TransformSpec spec, ImageFormat format, Limits limits) {
        long t0 = System.nanoTime();
        return run(null, file, HeaderCheck.read(file, limits), t0, spec, format, limits);
    }

    private static Rendered run(byte[] source, Path file, Header header, long t0, TransformSpec spec,
                                ImageFormat format, Limits limits) {
        Geometry geometry = Geometry.plan(header.info().displayWidth(), header.info().displayHeight(), spec, limits);
        RenderJob job = new RenderJob(source, file, header, spec, format, limits, geometry);
        job.timings.record("probe", (System.nanoTime() - t0) / 1e6);
        for (Step step : STEPS) {
            long t = System.nanoTime();
            step.apply(job);
            job.timings.record(step.stage(), (System.nanoTime() - t) / 1e6);
        }
        return new Rendered(job.encoded, format, job.width(), job.height(), job.timings);
    }

    @Override
    public String toString() {
        return "pure-Java engine (ImageIO + TwelveMonkeys, lossless WebP)";
    }
}
