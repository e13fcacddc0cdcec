package io.imagescaler.sr;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The server's one immutable configuration, read once from the environment at start and printed in the
 * start-up log. Every limit guards work that would otherwise be unbounded (request bytes, decoded pixels,
 * output pixels); tiling keeps the model's own working set bounded whatever the image size.
 *
 * @param host           address to bind (127.0.0.1 locally; the container sets 0.0.0.0)
 * @param port           HTTP port; SageMaker requires 8080, 0 picks a free one (tests)
 * @param models         served scale → model name; a name resolves to {@code models/<name>.onnx} in
 *                       {@link #modelDir} when set, else on the classpath
 * @param modelDir       folder holding the .onnx files, or null for the ones inside the jar
 * @param device         where ONNX Runtime runs: cpu, gpu (CUDA provider), or auto
 * @param threads        ONNX Runtime intra-op threads (0 = one per core)
 * @param tileSize       input pixels per tile side (the core that each tile owns)
 * @param tileMargin     extra input pixels of context read around each tile's core
 * @param blendWidth     half-width, in input pixels, of the linear cross-fade across every tile seam
 * @param maxInputBytes  largest request body accepted (SageMaker's own real-time limit is 6 MB)
 * @param maxInputPixels largest decoded input (width × height), checked from the header before decoding
 * @param maxOutputPixels largest output (width × height × scale²)
 * @param defaultScale   scale used when the request names none
 */
public record SrConfig(String host, int port, SortedMap<Integer, String> models, Path modelDir, String device,
                       int threads, int tileSize, int tileMargin, int blendWidth, long maxInputBytes,
                       long maxInputPixels, long maxOutputPixels, int defaultScale) {

    public SrConfig {
        models = Collections.unmodifiableSortedMap(new TreeMap<>(models));
        if (models.isEmpty()) throw new IllegalArgumentException("SR_MODELS names no model");
        if (!models.containsKey(defaultScale))
            throw new IllegalArgumentException("SR_DEFAULT_SCALE " + defaultScale + " is not served: " + models.keySet());
        if (!(device.equals("cpu") || device.equals("gpu") || device.equals("auto")))
            throw new IllegalArgumentException("SR_DEVICE must be cpu, gpu or auto, not " + device);
        if (tileMargin < blendWidth)
            throw new IllegalArgumentException("SR_TILE_MARGIN must be at least SR_BLEND_WIDTH");
        if (tileSize < 4 * blendWidth || tileSize < 8)
            throw new IllegalArgumentException("SR_TILE_SIZE must be at least 8 and 4 × SR_BLEND_WIDTH");
        if (port < 0 || port > 65535 || threads < 0 || maxInputBytes <= 0 || maxInputPixels <= 0 || maxOutputPixels <= 0)
            throw new IllegalArgumentException("port, threads and limits must be positive");
    }

    /** Local CPU defaults: loopback, medium ×2/×4 from the jar, 1 MP input, 16.8 MP output. */
    public static SrConfig defaults() {
        return fromEnvironment(Map.of());
    }

    public static SrConfig fromEnvironment(Map<String, String> env) {
        return new SrConfig(
                env.getOrDefault("SR_HOST", "127.0.0.1"),
                Integer.parseInt(env.getOrDefault("SR_PORT", env.getOrDefault("SAGEMAKER_BIND_TO_PORT", "8080"))),
                parseModels(env.getOrDefault("SR_MODELS", "2=esrgan-medium-x2,4=esrgan-medium-x4")),
                env.containsKey("SR_MODEL_DIR") ? Path.of(env.get("SR_MODEL_DIR")) : null,
                env.getOrDefault("SR_DEVICE", "auto"),
                Integer.parseInt(env.getOrDefault("SR_THREADS", "0")),
                Integer.parseInt(env.getOrDefault("SR_TILE_SIZE", "128")),
                Integer.parseInt(env.getOrDefault("SR_TILE_MARGIN", "16")),
                Integer.parseInt(env.getOrDefault("SR_BLEND_WIDTH", "4")),
                Long.parseLong(env.getOrDefault("SR_MAX_INPUT_BYTES", String.valueOf(6L * 1024 * 1024))),
                Long.parseLong(env.getOrDefault("SR_MAX_INPUT_PIXELS", String.valueOf(1024L * 1024))),
                Long.parseLong(env.getOrDefault("SR_MAX_OUTPUT_PIXELS", String.valueOf(4096L * 4096))),
                Integer.parseInt(env.getOrDefault("SR_DEFAULT_SCALE", "4")));
    }

    static SortedMap<Integer, String> parseModels(String spec) {
        SortedMap<Integer, String> models = new TreeMap<>();
        for (String entry : spec.split(",")) {
            String[] kv = entry.trim().split("=", 2);
            if (kv.length != 2 || !kv[1].matches("[A-Za-z0-9._-]+"))
                throw new IllegalArgumentException("SR_MODELS entry must be scale=name, not '" + entry + "'");
            models.put(Integer.parseInt(kv[0].trim()), kv[1].trim());
        }
        return models;
    }

    public SrConfig withPort(int newPort) {
        return new SrConfig(host, newPort, models, modelDir, device, threads, tileSize, tileMargin, blendWidth,
                maxInputBytes, maxInputPixels, maxOutputPixels, defaultScale);
    }

    public SrConfig withTiling(int newTileSize, int newTileMargin, int newBlendWidth) {
        return new SrConfig(host, port, models, modelDir, device, threads, newTileSize, newTileMargin, newBlendWidth,
                maxInputBytes, maxInputPixels, maxOutputPixels, defaultScale);
    }

    public SrConfig withLimits(long newMaxInputBytes, long newMaxInputPixels, long newMaxOutputPixels) {
        return new SrConfig(host, port, models, modelDir, device, threads, tileSize, tileMargin, blendWidth,
                newMaxInputBytes, newMaxInputPixels, newMaxOutputPixels, defaultScale);
    }

    public SrConfig withThreads(int newThreads) {
        return new SrConfig(host, port, models, modelDir, device, newThreads, tileSize, tileMargin, blendWidth,
                maxInputBytes, maxInputPixels, maxOutputPixels, defaultScale);
    }

    public SrConfig withModels(Map<Integer, String> newModels, int newDefaultScale) {
        return new SrConfig(host, port, new TreeMap<>(newModels), modelDir, device, threads, tileSize, tileMargin,
                blendWidth, maxInputBytes, maxInputPixels, maxOutputPixels, newDefaultScale);
    }

    /** The settings as one log line (nothing here is secret). */
    public String describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", host);
        m.put("port", port);
        m.put("models", models);
        m.put("modelDir", modelDir == null ? "(classpath)" : modelDir);
        m.put("device", device);
        m.put("threads", threads == 0 ? "auto" : threads);
        m.put("tile", tileSize + "+" + tileMargin + " blend " + blendWidth);
        m.put("maxInputBytes", maxInputBytes);
        m.put("maxInputPixels", maxInputPixels);
        m.put("maxOutputPixels", maxOutputPixels);
        m.put("defaultScale", defaultScale);
        return m.toString();
    }
}
