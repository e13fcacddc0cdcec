package io.imagescaler.handler.transform;

import io.imagescaler.handler.transform.probe.Header;
import io.imagescaler.handler.transform.vips.VipsBackend;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The transform engine, written once for every {@link Backend}: the header is read and every limit
 * checked before a pixel is decoded, then the steps below run in this order, each in its own file:
 * decode (shrink on load), the pixel steps, encode. An animation kept animated runs the pixel steps
 * on every frame. On libvips the steps only describe the work; the pixels are computed, in one pass
 * through the whole chain, when the encoder pulls them, so most of a render's time shows as "encode".
 */
public final class Pipeline implements TransformEngine {

    private static final Step DECODE = new ShrinkOnLoad();

    /** Everything between decoding and encoding; each frame of an animation goes through it. */
    private static final List<Step> PIXEL_STEPS = List.of(
            new ConvertToSrgb(),
            new Resize(),
            new Orient(),
            new Crop(),
            new Pad(),
            new RotateAndFlip(),
            new Blur(),
            new Sharpen(),
            new Grayscale(),
            new Flatten());

    private static final Step ENCODE = new Encode();

    /** Consecutive steps that share a stage name run as one timed stage (Server-Timing, trace spans). */
    private static final List<Map.Entry<String, List<Step>>> PIXEL_STAGES = stages(PIXEL_STEPS);

    private final Backend backend;

    /** The engine on libvips. */
    public Pipeline() {
        this(new VipsBackend());
    }

    public Pipeline(Backend backend) {
        this.backend = backend;
    }

    public Backend backend() {
        return backend;
    }

    @Override
    public java.util.Set<ImageFormat> encodes() {
        return backend.encodes();
    }

    @Override
    public boolean finalOutput() {
        return backend.finalOutput();
    }

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

    private Rendered run(byte[] source, Path file, Supplier<Header> checkedHeader, TransformSpec spec,
                         ImageFormat format, Limits limits) {
        Encode.checkAvailable(backend, format);
        StageTimings probeTime = new StageTimings();
        Header header = probeTime.time("probe", checkedHeader);
        Geometry geometry = Geometry.plan(header.info().displayWidth(), header.info().displayHeight(), spec, limits);
        try (Backend.Session session = backend.session()) {
            RenderJob job = new RenderJob(source, file, header, spec, format, limits, geometry, backend, session);
            job.timings.addAll(probeTime);
            if (Animation.wanted(job)) {
                renderAnimation(job);
            } else {
                job.timings.time(DECODE.stage(), () -> DECODE.apply(job));
                for (Map.Entry<String, List<Step>> stage : PIXEL_STAGES) {
                    job.timings.time(stage.getKey(), () -> stage.getValue().forEach(step -> step.apply(job)));
                }
                job.timings.time(ENCODE.stage(), () -> ENCODE.apply(job));
            }
            return new Rendered(job.encoded, format, job.canvas.width(), job.canvas.height(), job.timings,
                    backend.finalOutput());
        }
    }

    /**
     * Every frame through the pixel steps, with one crop window for all. The frames' steps are timed
     * together as one "frames" stage: a span per step and frame would flood the trace.
     */
    private static void renderAnimation(RenderJob job) {
        Backend.Loaded loaded = job.timings.time(DECODE.stage(), () -> job.backend.load(job.session, job.source,
                job.file, job.header, 1, true));
        List<Canvas> rendered = new ArrayList<>();
        job.timings.time("frames", () -> {
            for (Canvas frame : loaded.frames()) {
                RenderJob frameJob = job.forFrame(frame);
                PIXEL_STEPS.forEach(step -> step.apply(frameJob));
                job.cropWindow = frameJob.cropWindow;
                rendered.add(frameJob.canvas);
            }
        });
        job.canvas = rendered.getFirst();
        job.encoded = job.timings.time(ENCODE.stage(), () -> job.backend.encodeAnimation(rendered, loaded.delays(),
                loaded.loops(), job.format, Encode.quality(job)));
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

    @Override
    public String toString() {
        return backend.name();
    }
}
