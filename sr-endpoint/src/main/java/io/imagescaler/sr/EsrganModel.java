package io.imagescaler.sr;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One converted ESRGAN network (see {@code models/MODELS.md}) in a bare ONNX Runtime session: the input
 * tensor wraps the caller's direct buffer and the output is written by ONNX Runtime straight into a
 * buffer of ours (a pinned output), so a run copies no pixels on the Java side. Runs are serialised
 * through a gate shared by all models of a server: ONNX Runtime already spreads one run over its
 * intra-op threads, and one run at a time is what the memory budget assumes.
 */
public final class EsrganModel implements TileModel, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EsrganModel.class);

    /** Where and how a model runs. {@code device}: cpu, gpu or auto; {@code precision}: fp32 or fp16. */
    public record Execution(String device, String precision, int threads) {
        public static Execution cpu(int threads) {
            return new Execution("cpu", "fp32", threads);
        }
    }

    private final String name;
    private final int scale;
    private final OrtSession session;
    private final String provider;
    private final String precision;
    private final String inputName;
    private final String outputName;
    private final ReentrantLock gate;
    private FloatBuffer inScratch = FloatBuffer.allocate(0);
    private FloatBuffer outScratch = FloatBuffer.allocate(0);

    private EsrganModel(String name, int scale, OrtSession session, String provider, String precision, ReentrantLock gate) {
        this.name = name;
        this.scale = scale;
        this.session = session;
        this.provider = provider;
        this.precision = precision;
        this.inputName = session.getInputNames().iterator().next();
        this.outputName = session.getOutputNames().iterator().next();
        this.gate = gate;
    }

    static OrtEnvironment environment() {
        OfflineEngine.ensure();
        return OrtEnvironment.getEnvironment();
    }

    /** Loads {@code <name>.onnx} on CPU in fp32 with its own gate (bench, tests). */
    public static EsrganModel load(String name, int scale, Path modelDir, int threads) throws IOException {
        return load(name, scale, modelDir, Execution.cpu(threads), new ReentrantLock(true));
    }

    /** A CPU session of the given serialised graph (the bench runs converted fp16 graphs this way). */
    public static EsrganModel fromGraph(String name, int scale, byte[] graph, int threads) throws IOException {
        try {
            EsrganModel loaded = new EsrganModel(name, scale, environment().createSession(graph, options(threads)),
                    "cpu", "fp32", new ReentrantLock(true));
            loaded.checkScale();
            return loaded;
        } catch (OrtException e) {
            throw new IOException("cannot load model " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads {@code <name>.onnx} from {@code modelDir}, or from the jar's {@code models/} when it is null.
     * CUDA is tried when the execution asks for gpu or auto; when ONNX Runtime cannot add its CUDA provider
     * (the CPU-only jar, no CUDA/cuDNN libraries, no device), the model is served on CPU and a log line
     * says why.
     */
    public static EsrganModel load(String name, int scale, Path modelDir, Execution execution, ReentrantLock gate)
            throws IOException {
        OrtEnvironment env = environment();
        byte[] graph = read(name, modelDir);
        OrtSession session = null;
        String provider = "cpu", precision = "fp32";
        try {
            if (!execution.device().equals("cpu")) {
                try {
                    OrtSession.SessionOptions options = options(execution.threads());
                    options.addCUDA(0);
                    boolean fp16 = execution.precision().equals("fp16");
                    session = env.createSession(fp16 ? Fp16Graph.convert(graph) : graph, options);
                    provider = "cuda";
                    precision = fp16 ? "fp16" : "fp32";
                } catch (OrtException | LinkageError | RuntimeException e) {
                    String why = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
                    if (execution.device().equals("gpu"))
                        log.warn("model {}: CUDA execution provider requested but not available ({}); serving on CPU", name, why);
                    else
                        log.info("model {}: no CUDA execution provider ({}); serving on CPU", name, why);
                }
            }
            if (session == null) session = env.createSession(graph, options(execution.threads()));
            EsrganModel loaded = new EsrganModel(name, scale, session, provider, precision, gate);
            loaded.checkScale();
            return loaded;
        } catch (OrtException | RuntimeException e) {
            if (session != null) closeQuietly(session);
            throw new IOException("cannot load model " + name + ": " + e.getMessage(), e);
        }
    }

    static OrtSession.SessionOptions options(int threads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setInterOpNumThreads(1);
        if (threads > 0) options.setIntraOpNumThreads(threads);
        return options;
    }

    /** The serialised graph {@code <name>.onnx} from {@code modelDir}, or from the jar's {@code models/} when it is null. */
    public static byte[] read(String name, Path modelDir) throws IOException {
        if (modelDir != null) return Files.readAllBytes(modelDir.resolve(name + ".onnx"));
        try (InputStream in = EsrganModel.class.getResourceAsStream("/models/" + name + ".onnx")) {
            if (in == null) throw new IOException("no model models/" + name + ".onnx on the classpath");
            return in.readAllBytes();
        }
    }

    /** A wrong file under a right name would otherwise surface only as odd output sizes later. */
    private void checkScale() {
        FloatBuffer probe = direct(3 * 8 * 8);
        upscale(probe, 8, 8, out -> {
            if (out.remaining() != 3 * 8 * scale * 8 * scale)
                throw new IllegalStateException("model " + name + " does not upscale by " + scale);
        });
    }

    public String name() {
        return name;
    }

    @Override
    public int scale() {
        return scale;
    }

    /** {@code cuda} or {@code cpu}: the execution provider the session was created with. */
    public String provider() {
        return provider;
    }

    /** {@code fp16} or {@code fp32}: the precision of the graph the session runs. */
    public String precision() {
        return precision;
    }

    /** A native-order direct buffer: what ONNX Runtime can wrap without copying. */
    public static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(4 * floats).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    @Override
    public void upscale(FloatBuffer chw, int width, int height, Consumer<FloatBuffer> sink) {
        int inLen = 3 * width * height, outLen = inLen * scale * scale;
        if (chw.remaining() != inLen)
            throw new IllegalArgumentException(chw.remaining() + " values for a " + width + "x" + height + " input");
        gate.lock();
        try {
            FloatBuffer in = chw;
            if (!chw.isDirect() || chw.order() != ByteOrder.nativeOrder()) {
                if (inScratch.capacity() < inLen) inScratch = direct(inLen);
                in = inScratch.clear().put(chw.duplicate()).flip();
            }
            if (outScratch.capacity() < outLen) outScratch = direct(outLen);
            FloatBuffer out = outScratch.clear().limit(outLen).slice();
            OrtEnvironment env = environment();
            try (OnnxTensor input = OnnxTensor.createTensor(env, in, new long[]{1, 3, height, width});
                 OnnxTensor output = OnnxTensor.createTensor(env, out, new long[]{1, 3, (long) height * scale, (long) width * scale});
                 OrtSession.Result ignored = session.run(Map.of(inputName, input), Map.of(outputName, output))) {
                sink.accept(out.duplicate());
            }
        } catch (OrtException e) {
            throw new IllegalStateException("inference failed in " + name + ": " + e.getMessage(), e);
        } finally {
            gate.unlock();
        }
    }

    /** Gives the scratch buffers back (they grow to the largest run; a server keeps them). */
    void trimScratch() {
        gate.lock();
        try {
            inScratch = FloatBuffer.allocate(0);
            outScratch = FloatBuffer.allocate(0);
        } finally {
            gate.unlock();
        }
    }

    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            log.warn("closing an ONNX Runtime session failed: {}", e.getMessage());
        }
    }

    static boolean exists(String name, Path modelDir) {
        if (modelDir != null) return Files.isRegularFile(modelDir.resolve(name + ".onnx"));
        return EsrganModel.class.getResource("/models/" + name + ".onnx") != null;
    }

    static void requireExists(String name, Path modelDir) {
        if (!exists(name, modelDir))
            throw new UncheckedIOException(new IOException("model " + name + ".onnx not found in "
                    + (modelDir == null ? "the jar" : modelDir)));
    }
}
