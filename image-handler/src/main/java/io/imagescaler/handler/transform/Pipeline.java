package io.imagescaler.handler.transform;

import io.imagescaler.handler.transform.probe.Header;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;

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

    /**
     * The pixel steps as the stages that Server-Timing and the trace report: consecutive steps that
     * share a stage name (orient, resize, crop, pad, rotate are all "resize") run as one timed stage.
     */
    private static final List<Map.Entry<String, List<Step>>> PIXEL_STAGES = stages(PIXEL_STEPS);

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
        return run(source, null, () -> HeaderCheck.read(source, limits), spec, format, limits);
    }

    @Override
    public Rendered render(Path file, SourceInfo info, TransformSpec spec, ImageFormat format, Limits limits) {
        return run(null, file, () -> HeaderCheck.read(file, limits), spec, format, limits);
    }

    private static Rendered run(byte[] source, Path file, java.util.function.Supplier<Header> checkedHeader,
                                TransformSpec spec, ImageFormat format, Limits limits) {
        StageTimings timings = new StageTimings();
        RenderJob job = timings.time("probe", () -> {
            Header header = checkedHeader.get();
            Geometry geometry = Geometry.plan(header.info().displayWidth(), header.info().displayHeight(), spec,
                    limits);
            return new RenderJob(source, file, header, spec, format, limits, geometry);
        });
        job.timings.addAll(timings);
        try (PointerScope scope = new PointerScope()) {
            if (job.source != null && Animation.wanted(job)) {
                renderAnimation(job);
            } else {
                job.timings.time(DECODE.stage(), () -> DECODE.apply(job));
                for (Map.Entry<String, List<Step>> stage : PIXEL_STAGES) {
                    job.timings.time(stage.getKey(), () -> stage.getValue().forEach(step -> step.apply(job)));
                }
                job.timings.time(ENCODE.stage(), () -> ENCODE.apply(job));
            }
            return new Rendered(job.encoded, format, job.width(), job.height(), job.timings);
        }
    }

    /**
     * Every frame through the pixel steps, with one crop window for all (a smart crop must not jump).
     * The frames' steps are timed together as one "frames" stage: a span per step and frame would
     * flood the trace.
     */
    private static void renderAnimation(RenderJob job) {
        Animation animation = job.timings.time(DECODE.stage(), () -> Animation.decode(job.source));
        List<Mat> rendered = new ArrayList<>();
        job.timings.time("frames", () -> {
            for (Mat frame : animation.frames()) {
                RenderJob frameJob = job.forFrame(frame);
                PIXEL_STEPS.forEach(step -> step.apply(frameJob));
                job.cropWindow = frameJob.cropWindow;
                rendered.add(frameJob.pixels);
            }
        });
        job.pixels = rendered.getFirst();
        job.encoded = job.timings.time(ENCODE.stage(), () -> animation.encode(rendered, job.format, ENCODE.quality(job)));
    }

    private static List<Map.Entry<String, List<Step>>> stages(List<Step> steps) {
        List<Map.Entry<String, List<Step>>> stages = new ArrayList<>();
        for (Step step : steps) {
            if (stages.isEmpty() || !stages.getLast().getKey().equals(step.stage())) {
                stages.add(Map.entry(step.stage(), new ArrayList<>()));
            }
            stages.getLast().getValue().add(step);
        }
        return stages.stream().map(e -> Map.entry(e.getKey(), List.copyOf(e.getValue()))).toList();
    }

}
