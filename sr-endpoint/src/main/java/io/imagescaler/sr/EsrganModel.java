package io.imagescaler.sr;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One converted ESRGAN network (see {@code models/MODELS.md}) run through DJL's ONNX Runtime engine. DJL
 * only moves arrays here; all pixel work happens in plain Java around it. Calls are serialised: ONNX
 * Runtime already spreads one call over its intra-op threads, and queuing whole tiles keeps memory flat.
 */
public final class EsrganModel implements TileModel, AutoCloseable {

    private final String name;
    private final int scale;
    private final Model model;
    private final Predictor<NDList, NDList> predictor;
    private final ReentrantLock lock = new ReentrantLock(true);

    private EsrganModel(String name, int scale, Model model) {
        this.name = name;
        this.scale = scale;
        this.model = model;
        this.predictor = model.newPredictor(new NoopTranslator());
    }

    /**
     * Loads {@code <name>.onnx} from {@code modelDir}, or from the jar's {@code models/} when it is null.
     *
     * @param gpu whether to run on CUDA (DJL then adds ONNX Runtime's CUDA provider, which needs the
     *            onnxruntime_gpu jar and CUDA 12 + cuDNN 9 libraries)
     */
    public static EsrganModel load(String name, int scale, Path modelDir, boolean gpu, int threads) throws IOException {
        OfflineEngine.ensure();
        Model model = Model.newInstance(name, gpu ? Device.gpu() : Device.cpu(), "OnnxRuntime");
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setInterOpNumThreads(1);
            if (threads > 0) options.setIntraOpNumThreads(threads);
            Map<String, Object> djlOptions = Map.of("sessionOptions", options);
            if (modelDir != null) {
                model.load(modelDir.resolve(name + ".onnx"), null, djlOptions);
            } else {
                try (InputStream in = EsrganModel.class.getResourceAsStream("/models/" + name + ".onnx")) {
                    if (in == null) throw new IOException("no model models/" + name + ".onnx on the classpath");
                    model.load(in, djlOptions);
                }
            }
            EsrganModel loaded = new EsrganModel(name, scale, model);
            loaded.checkScale();
            return loaded;
        } catch (OrtException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new IOException("cannot load model " + name + ": " + e.getMessage(), e);
        } catch (IOException e) {
            model.close();
            throw e;
        }
    }

    /** A wrong file under a right name would otherwise surface only as odd output sizes later. */
    private void checkScale() {
        float[] probe = upscale(new float[3 * 8 * 8], 8, 8);
        if (probe.length != 3 * 8 * scale * 8 * scale)
            throw new IllegalStateException("model " + name + " does not upscale by " + scale);
    }

    public String name() {
        return name;
    }

    @Override
    public int scale() {
        return scale;
    }

    @Override
    public float[] upscale(float[] chw, int width, int height) {
        lock.lock();
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDArray input = manager.create(FloatBuffer.wrap(chw), new Shape(1, 3, height, width));
            NDList output = predictor.predict(new NDList(input));
            try {
                return output.singletonOrThrow().toFloatArray();
            } finally {
                output.close();
            }
        } catch (TranslateException e) {
            throw new IllegalStateException("inference failed in " + name + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
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
