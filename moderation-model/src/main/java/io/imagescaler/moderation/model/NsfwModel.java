package io.imagescaler.moderation.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * nsfwjs 4.4.0's MobileNetV2 (224x224) image classifier, converted to ONNX (see
 * {@code src/main/resources/models/MODELS.md}) and run with ONNX Runtime on the CPU. One instance holds
 * one session; {@link #classify} may be called from several threads at once.
 */
public final class NsfwModel implements AutoCloseable {
    public static final String RESOURCE = "/models/nsfwjs-mobilenet-v2.onnx";
    /** Reported as Rekognition's {@code ModerationModelVersion}. */
    public static final String VERSION = "nsfwjs-4.4.0-mobilenet-v2";

    private final OrtEnvironment env;
    private final OrtSession session;

    private NsfwModel(OrtEnvironment env, OrtSession session) {
        this.env = env;
        this.session = session;
    }

    /** Loads the model from the classpath with ONNX Runtime's default thread count. */
    public static NsfwModel load() {
        return load(0);
    }

    /** @param threads intra-op threads; 0 lets ONNX Runtime choose (one per physical core) */
    public static NsfwModel load(int threads) {
        Offline.ensure();
        byte[] model;
        try (InputStream in = NsfwModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("model resource " + RESOURCE + " is missing");
            model = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (threads > 0) options.setIntraOpNumThreads(threads);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return new NsfwModel(env, env.createSession(model, options));
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param image JPEG or PNG bytes (anything ImageIO and TwelveMonkeys read)
     * @throws ModelInput.UnreadableImage the bytes do not decode
     */
    public ClassScores classify(byte[] image) {
        return classify(ModelInput.fromImage(image));
    }

    /** @param nhwc the model input, {@code [1, 224, 224, 3]} RGB in 0..1 (see {@link ModelInput}) */
    public ClassScores classify(float[] nhwc) {
        long[] shape = {1, ModelInput.SIZE, ModelInput.SIZE, 3};
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(nhwc), shape);
             OrtSession.Result result = session.run(Map.of("image", input))) {
            float[][] probabilities = (float[][]) result.get(0).getValue();
            return ClassScores.of(probabilities[0]);
        } catch (OrtException e) {
            throw new IllegalStateException("the moderation model failed: " + e.getMessage(), e);
        }
    }

    public String version() {
        return VERSION;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }
}
