package io.imagescaler.handler.transform;

import io.imagescaler.handler.error.ImageScalerException.LimitExceeded;
import io.imagescaler.handler.transform.probe.Header;
import io.imagescaler.handler.transform.probe.HeaderProbe;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
    public SourceInfo probe(Path file, Limits limits) {
        return checkedHeader(file, limits).info();
    }

    @Override
    public Rendered render(byte[] source, SourceInfo info, TransformSpec spec, ImageFormat format, Limits limits) {
        long t0 = System.nanoTime();
        return run(source, null, checkedHeader(source, limits), t0, spec, format, limits);
    }

    @Override
    public Rendered render(Path file, SourceInfo info, TransformSpec spec, ImageFormat format, Limits limits) {
        long t0 = System.nanoTime();
        return run(null, file, checkedHeader(file, limits), t0, spec, format, limits);
    }

    private static Rendered run(byte[] source, Path file, Header header, long t0, TransformSpec spec,
                                ImageFormat format, Limits limits) {
        Geometry geometry = Geometry.plan(header.info().displayWidth(), header.info().displayHeight(), spec, limits);
        RenderJob job = new RenderJob(source, file, header, spec, format, limits, geometry);
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

    private static Header checkedHeader(Path file, Limits limits) {
        try (Arena arena = Arena.ofConfined();
             FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return checked(HeaderProbe.read(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena),
                    limits.maxFrames()), limits);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Header checkedHeader(byte[] source, Limits limits) {
        return checked(HeaderProbe.read(source, limits.maxFrames()), limits);
    }

    private static Header checked(Header header, Limits limits) {
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
