package io.imagescaler.handler.transform;

import io.imagescaler.handler.error.ImageScalerException.LimitExceeded;
import io.imagescaler.handler.transform.probe.Header;
import io.imagescaler.handler.transform.probe.HeaderProbe;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /**
     * The steps as the stages that Server-Timing and the trace report: consecutive steps that share a
     * stage name (orient, resize, crop, pad, rotate are all "resize") run as one timed stage.
     */
    private static final List<Map.Entry<String, List<Step>>> STAGES = stages(STEPS);

    @Override
    public Rendered render(byte[] source, SourceInfo info, TransformSpec spec, ImageFormat format, Limits limits) {
        StageTimings timings = new StageTimings();
        RenderJob job = timings.time("probe", () -> {
            Header header = checkedHeader(source, limits);
            Geometry geometry = Geometry.plan(header.info().displayWidth(), header.info().displayHeight(), spec,
                    limits);
            return new RenderJob(source, header, spec, format, limits, geometry);
        });
        job.timings.addAll(timings);
        try (PointerScope scope = new PointerScope()) {
            for (Map.Entry<String, List<Step>> stage : STAGES) {
                job.timings.time(stage.getKey(), () -> stage.getValue().forEach(step -> step.apply(job)));
            }
            return new Rendered(job.encoded, format, job.width(), job.height(), job.timings);
        }
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
