package io.imagescaler.sr;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The invocation pipeline, in order: check and decode the body, run the network (whole when the image
 * fits the memory budget, else tile by tile), join the alpha back, encode PNG. Holds the loaded models,
 * one per served scale, each with the tiling its measured footprint and receptive field call for.
 */
public final class SuperResolution implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SuperResolution.class);
    /** Assumed when the footprint cannot be measured (no /proc): the most measured here, rounded up. */
    static final long FALLBACK_BYTES_PER_PIXEL = 64 * 1024;

    /** A loaded model and how images are cut for it. */
    public record Served(EsrganModel model, TiledUpscale tiling, long bytesPerInputPixel, ReceptiveField.Margin receptiveField) {
    }

    private final SrConfig config;
    private final SortedMap<Integer, Served> models;
    private final ServingMetrics metrics;

    private SuperResolution(SrConfig config, SortedMap<Integer, Served> models, ServingMetrics metrics) {
        this.config = config;
        this.models = models;
        this.metrics = metrics;
    }

    public static SuperResolution load(SrConfig config) throws IOException {
        return load(config, ServingMetrics.stdout());
    }

    static SuperResolution load(SrConfig config, ServingMetrics metrics) throws IOException {
        OfflineEngine.ensure();
        ReentrantLock gate = new ReentrantLock(true); // one run at a time, whatever the model: the budget is per run
        EsrganModel.Execution execution = new EsrganModel.Execution(config.device(), config.precision(), config.threads());
        SortedMap<Integer, Served> models = new TreeMap<>();
        try {
            for (Map.Entry<Integer, String> e : config.models().entrySet()) {
                long t0 = System.nanoTime();
                EsrganModel model = EsrganModel.load(e.getValue(), e.getKey(), config.modelDir(), execution, gate);
                Served served;
                try {
                    served = plan(model, config);
                } catch (IOException | RuntimeException planFailed) {
                    model.close();
                    throw planFailed;
                }
                models.put(e.getKey(), served);
                TiledUpscale t = served.tiling();
                log.info("loaded model {} for x{} on {} in {} ({} ms): {} per input pixel; runs whole up to {} input pixels, "
                                + "else tiles of {} + {} px margin (receptive field {} px, max diff {} at it{})",
                        e.getValue(), e.getKey(), model.provider(), model.precision(), (System.nanoTime() - t0) / 1_000_000,
                        served.bytesPerInputPixel() < 0 ? "? bytes (not measurable here; assumed " + FALLBACK_BYTES_PER_PIXEL + ")"
                                : served.bytesPerInputPixel() + " bytes",
                        t.maxWindowPixels(), t.tileSize(), t.margin(), served.receptiveField().pixels(),
                        String.format(Locale.ROOT, "%.5f", served.receptiveField().maxDifference()),
                        served.receptiveField().withinTolerance() ? "" : ", OVER 1/255: seams may show");
                metrics.modelLoaded(model.name(), model.provider(), model.precision(), e.getKey());
            }
        } catch (IOException | RuntimeException e) {
            models.values().forEach(m -> m.model().close());
            throw e;
        }
        return new SuperResolution(config, models, metrics);
    }

    /** Measures the model's footprint and receptive field, and turns the budget into a tiling. */
    static Served plan(EsrganModel model, SrConfig config) throws IOException {
        long perPixel;
        if (model.provider().equals("cpu")) {
            perPixel = RunFootprint.bytesPerInputPixel(model);
        } else {
            // the footprint is the graph's, not the device's: measure it on a CPU session of the same file
            try (EsrganModel onCpu = EsrganModel.load(model.name(), model.scale(), config.modelDir(), config.threads())) {
                perPixel = RunFootprint.bytesPerInputPixel(onCpu);
            }
            if (model.precision().equals("fp16") && perPixel > 0) perPixel = perPixel / 2 + 1;
        }
        model.trimScratch();
        ReceptiveField.Margin field = ReceptiveField.measure(model);
        int margin = config.tileMargin() == SrConfig.AUTO_MARGIN ? field.pixels() + config.blendWidth() : config.tileMargin();
        long budget = config.memoryBudgetMb() * 1024 * 1024;
        long maxWindow = Math.max(64, budget / (perPixel > 0 ? perPixel : FALLBACK_BYTES_PER_PIXEL));
        return new Served(model, TiledUpscale.forBudget(maxWindow, config.tileSize(), margin, config.blendWidth()), perPixel, field);
    }

    /** {@code cuda}, {@code cpu}, or {@code mixed} when the models ended up on different providers. */
    public String provider() {
        return models.values().stream().map(m -> m.model().provider()).distinct()
                .reduce((a, b) -> "mixed").orElse("cpu");
    }

    public boolean onGpu() {
        return provider().equals("cuda");
    }

    /** Scale → the model serving it, with its provider, precision and tiling (for /ping). */
    public SortedMap<Integer, Served> served() {
        return models;
    }

    public SortedMap<Integer, String> servedModels() {
        SortedMap<Integer, String> names = new TreeMap<>();
        models.forEach((scale, served) -> names.put(scale, served.model().name()));
        return names;
    }

    public EsrganModel model(int scale) {
        return served(scale).model();
    }

    private Served served(int scale) {
        Served model = models.get(scale);
        if (model == null)
            throw new InvocationProblem.InvalidRequest("scale " + scale + " is not served; served scales: " + models.keySet());
        return model;
    }

    /** Decoded image in, upscaled image out (no codec work): what the bench times. */
    public BufferedImage upscale(SourceImage source, int scale) {
        Served served = served(scale);
        BufferedImage rgb = served.tiling().upscale(source.chw(), source.width(), source.height(), served.model());
        return UpscaledImage.withAlpha(rgb, source);
    }

    /** Timings of one invocation, in milliseconds, for the Server-Timing header. */
    public record Timings(long decodeMs, long inferMs, long encodeMs) {
    }

    public record Answer(byte[] png, int width, int height, String model, Timings timings) {
    }

    public Answer invoke(byte[] body, int scale) {
        EsrganModel model = model(scale);
        long t0 = System.nanoTime();
        SourceImage source = SourceImage.decode(body, scale, config.maxInputPixels(), config.maxOutputPixels());
        long t1 = System.nanoTime();
        BufferedImage result = upscale(source, scale);
        long t2 = System.nanoTime();
        byte[] png = UpscaledImage.png(result);
        long t3 = System.nanoTime();
        metrics.invocation(model.name(), model.provider(), model.precision(), scale, (t2 - t1) / 1e6, (t3 - t0) / 1e6,
                (long) result.getWidth() * result.getHeight());
        return new Answer(png, result.getWidth(), result.getHeight(), model.name(),
                new Timings((t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000));
    }

    @Override
    public void close() {
        models.values().forEach(m -> m.model().close());
    }
}
