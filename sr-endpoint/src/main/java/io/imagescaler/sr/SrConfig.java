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
 * @param device         where ONNX Runtime runs: cpu, gpu (CUDA provider; CPU with a warning when it is not
 *                       there), or auto (CUDA when it is there, else CPU)
 * @param precision      fp32, or fp16 (the graph converted at load; honoured on CUDA only, where it pays)
 * @param threads        ONNX Runtime intra-op threads (0 = one per core)
 * @param memoryBudgetMb most memory one network run may take (its measured activations plus the tensors):
 *                       an image that fits runs whole, a larger one in the largest tiles that fit
 * @param tileSize       upper bound on a tile's core side in input pixels; 0 = only the budget decides
 * @param tileMargin     input pixels of context read around each tile's core; -1 = the model's measured
 *                       receptive field (see {@link ReceptiveField}) plus the blend width
 * @param blendWidth     half-width, in input pixels, of the linear cross-fade across every tile seam
 * @param maxInputBytes  largest request body accepted (SageMaker's own real-time limit is 6 MB)
 * @param maxInputPixels largest decoded input (width × height), checked from the header before decoding
 * @param maxOutputPixels largest output (width × height × scale²)
 * @param defaultScale   scale used when the request names none
 */
public record SrConfig(String host, int port, SortedMap<Integer, String> models, Path modelDir, String device,
                       String precision, int threads, long memoryBudgetMb, int tileSize, int tileMargin,
                       int blendWidth, long maxInputBytes, long maxInputPixels, long maxOutputPixels, int defaultScale) {

    public SrConfig {
        models = Collections.unmodifiableSortedMap(new TreeMap<>(models));
        if (models.isEmpty()) throw new IllegalArgumentException("SR_MODELS names no model");
        if (!models.containsKey(defaultScale))
            throw new IllegalArgumentException("SR_DEFAULT_SCALE " + defaultScale + " is not served: " + models.keySet());
        if (!(device.equals("cpu") || device.equals("gpu") || device.equals("auto")))
            throw new IllegalArgumentException("SR_DEVICE must be cpu, gpu or auto, not " + device);
        if (!(precision.equals("fp32") || precision.equals("fp16")))
            throw new IllegalArgumentException("SR_PRECISION must be fp32 or fp16, not " + precision);
        if (tileMargin != AUTO_MARGIN && tileMargin < blendWidth)
            throw new IllegalArgumentException("SR_TILE_MARGIN must be auto or at least SR_BLEND_WIDTH");
        if (tileSize != 0 && (tileSize < 4 * blendWidth || tileSize < 8))
            throw new IllegalArgumentException("SR_TILE_SIZE must be 0 (budget) or at least 8 and 4 × SR_BLEND_WIDTH");
        if (memoryBudgetMb < 64)
            throw new IllegalArgumentException("SR_MEMORY_BUDGET_MB must be at least 64");
        if (port < 0 || port > 65535 || threads < 0 || maxInputBytes <= 0 || maxInputPixels <= 0 || maxOutputPixels <= 0)
            throw new IllegalArgumentException("port, threads and limits must be positive");
    }

    /** {@code tileMargin} value meaning "the model's measured receptive field". */
    public static final int AUTO_MARGIN = -1;

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
                env.getOrDefault("SR_PRECISION", "fp32"),
                Integer.parseInt(env.getOrDefault("SR_THREADS", "0")),
                Long.parseLong(env.getOrDefault("SR_MEMORY_BUDGET_MB", "1024")),
                Integer.parseInt(env.getOrDefault("SR_TILE_SIZE", "0")),
                margin(env.getOrDefault("SR_TILE_MARGIN", "auto")),
                Integer.parseInt(env.getOrDefault("SR_BLEND_WIDTH", "4")),
                Long.parseLong(env.getOrDefault("SR_MAX_INPUT_BYTES", String.valueOf(6L * 1024 * 1024))),
                Long.parseLong(env.getOrDefault("SR_MAX_INPUT_PIXELS", String.valueOf(1024L * 1024))),
                Long.parseLong(env.getOrDefault("SR_MAX_OUTPUT_PIXELS", String.valueOf(4096L * 4096))),
                Integer.parseInt(env.getOrDefault("SR_DEFAULT_SCALE", "4")));
    }

    private static int margin(String raw) {
        return raw.equals("auto") ? AUTO_MARGIN : Integer.parseInt(raw);
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
        return new SrConfig(host, newPort, models, modelDir, device, precision, threads, memoryBudgetMb, tileSize,
                tileMargin, blendWidth, maxInputBytes, maxInputPixels, maxOutputPixels, defaultScale);
    }

    /** @param newTileSize largest tile core side (0 = the budget decides); newTileMargin {@link #AUTO_MARGIN} = measured */
    public SrConfig withTiling(int newTileSize, int newTileMargin, int newBlendWidth) {
        return new SrConfig(host, port, models, modelDir, device, precision, threads, memoryBudgetMb, newTileSize,
                newTileMargin, newBlendWidth, maxInputBytes, maxInputPixels, maxOutputPixels, defaultScale);
    }

    public SrConfig withMemoryBudget(long newMemoryBudgetMb) {
        return new SrConfig(host, port, models, modelDir, device, precision, threads, newMemoryBudgetMb, tileSize,
                tileMargin, blendWidth, maxInputBytes, maxInputPixels, maxOutputPixels, defaultScale);
    }

    public SrConfig withLimits(long newMaxInputBytes, long newMaxInputPixels, long newMaxOutputPixels) {
        return new SrConfig(host, port, models, modelDir, device, precision, threads, memoryBudgetMb, tileSize,
                tileMargin, blendWidth, newMaxInputBytes, newMaxInputPixels, newMaxOutputPixels, defaultScale);
    }

    public SrConfig withThreads(int newThreads) {
        return new SrConfig(host, port, models, modelDir, device, precision, newThreads, memoryBudgetMb, tileSize,
                tileMargin, blendWidth, maxInputBytes, maxInputPixels, maxOutputPixels, defaultScale);
    }

    public SrConfig withDevice(String newDevice, String newPrecision) {
        return new SrConfig(host, port, models, modelDir, newDevice, newPrecision, threads, memoryBudgetMb, tileSize,
                tileMargin, blendWidth, maxInputBytes, maxInputPixels, maxOutputPixels, defaultScale);
    }

    public SrConfig withModels(Map<Integer, String> newModels, int newDefaultScale) {
        return new SrConfig(host, port, new TreeMap<>(newModels), modelDir, device, precision, threads, memoryBudgetMb,
                tileSize, tileMargin, blendWidth, maxInputBytes, maxInputPixels, maxOutputPixels, newDefaultScale);
    }

    /** The settings as one log line (nothing here is secret). */
    public String describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", host);
        m.put("port", port);
        m.put("models", models);
        m.put("modelDir", modelDir == null ? "(classpath)" : modelDir);
        m.put("device", device);
        m.put("precision", precision);
        m.put("threads", threads == 0 ? "auto" : threads);
        m.put("memoryBudgetMb", memoryBudgetMb);
        m.put("tile", (tileSize == 0 ? "budget" : "<=" + tileSize) + " margin "
                + (tileMargin == AUTO_MARGIN ? "measured" : tileMargin) + " blend " + blendWidth);
        m.put("maxInputBytes", maxInputBytes);
        m.put("maxInputPixels", maxInputPixels);
        m.put("maxOutputPixels", maxOutputPixels);
        m.put("defaultScale", defaultScale);
        return m.toString();
    }
}
