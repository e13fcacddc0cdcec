package io.imagescaler.sr;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The invocation pipeline, in order: check and decode the body, run the network tile by tile, join the
 * alpha back, encode PNG. Holds the loaded models, one per served scale.
 */
public final class SuperResolution implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SuperResolution.class);

    private final SrConfig config;
    private final SortedMap<Integer, EsrganModel> models;
    private final TiledUpscale tiling;
    private final boolean gpu;

    private SuperResolution(SrConfig config, SortedMap<Integer, EsrganModel> models, boolean gpu) {
        this.config = config;
        this.models = models;
        this.tiling = new TiledUpscale(config.tileSize(), config.tileMargin(), config.blendWidth());
        this.gpu = gpu;
    }

    public static SuperResolution load(SrConfig config) throws IOException {
        OfflineEngine.ensure();
        boolean gpu = switch (config.device()) {
            case "gpu" -> true;
            case "cpu" -> false;
            default -> cudaAvailable();
        };
        SortedMap<Integer, EsrganModel> models = new TreeMap<>();
        try {
            for (Map.Entry<Integer, String> e : config.models().entrySet()) {
                long t0 = System.nanoTime();
                models.put(e.getKey(), EsrganModel.load(e.getValue(), e.getKey(), config.modelDir(), gpu, config.threads()));
                log.info("loaded model {} for x{} on {} in {} ms", e.getValue(), e.getKey(), gpu ? "CUDA" : "CPU",
                        (System.nanoTime() - t0) / 1_000_000);
            }
        } catch (IOException | RuntimeException e) {
            models.values().forEach(EsrganModel::close);
            throw e;
        }
        return new SuperResolution(config, models, gpu);
    }

    /** CUDA only when the onnxruntime_gpu native library is on the classpath and it sees a device. */
    static boolean cudaAvailable() {
        try {
            return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)
                    && ai.djl.engine.Engine.getEngine("OnnxRuntime").getGpuCount() > 0;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    public boolean onGpu() {
        return gpu;
    }

    public SortedMap<Integer, String> servedModels() {
        SortedMap<Integer, String> names = new TreeMap<>();
        models.forEach((scale, model) -> names.put(scale, model.name()));
        return names;
    }

    public EsrganModel model(int scale) {
        EsrganModel model = models.get(scale);
        if (model == null)
            throw new InvocationProblem.InvalidRequest("scale " + scale + " is not served; served scales: " + models.keySet());
        return model;
    }

    /** Decoded image in, upscaled image out (no codec work): what the bench times. */
    public BufferedImage upscale(SourceImage source, int scale) {
        BufferedImage rgb = tiling.upscale(source.chw(), source.width(), source.height(), model(scale));
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
        return new Answer(png, result.getWidth(), result.getHeight(), model.name(),
                new Timings((t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000));
    }

    @Override
    public void close() {
        models.values().forEach(EsrganModel::close);
    }
}
