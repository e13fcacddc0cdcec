package io.imagescaler.sr;

import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fp16 rewrite of a real model loads in ONNX Runtime, keeps the float32 contract and the picture. */
class Fp16GraphTest {

    @Test
    void halvesTheWeightsAndKeepsTheOutputWithinHalfPrecision() throws Exception {
        byte[] fp32 = EsrganModel.read("esrgan-medium-x2", null);
        byte[] fp16 = Fp16Graph.convert(fp32);
        // 693,235 float parameters: 2.77 MB as float32, 1.39 MB as float16
        assertTrue(fp16.length < fp32.length * 0.55 && fp16.length > fp32.length * 0.45,
                fp32.length + " -> " + fp16.length + " bytes");
        SourceImage src = SourceImage.fromImage("png", TestImages.diceCrop(300, 200, 40, 32));
        float[] a = run(EsrganModel.fromGraph("esrgan-medium-x2", 2, fp32, 1), src);
        float[] b = run(EsrganModel.fromGraph("esrgan-medium-x2", 2, fp16, 1), src);
        float max = 0;
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            float d = Math.abs(a[i] - b[i]);
            max = Math.max(max, d);
            sum += d;
        }
        assertNotEquals(0f, max, "the fp16 graph computed exactly the fp32 result: it was not converted");
        assertTrue(max < 4f / 255, "max difference " + max);
        assertTrue(sum / a.length < 0.25 / 255, "mean difference " + sum / a.length);
    }

    @Test
    void theCpuEmulationRoundsTensorsToHalfPrecisionAndNoMore() throws Exception {
        byte[] fp32 = EsrganModel.read("esrgan-medium-x2", null);
        SourceImage src = SourceImage.fromImage("png", TestImages.diceCrop(300, 200, 40, 32));
        float[] a = run(EsrganModel.fromGraph("esrgan-medium-x2", 2, fp32, 1), src);
        float[] b = run(EsrganModel.fromGraph("esrgan-medium-x2", 2, Fp16Graph.emulate(fp32), 1), src);
        float max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        assertNotEquals(0f, max, "no rounding happened");
        assertTrue(max < 4f / 255, "max difference " + max);
        for (float v : b) assertEquals(v, Float.float16ToFloat(Float.floatToFloat16(v)), "output not on the float16 grid: " + v);
    }

    @Test
    void refusesWhatIsNotAnOnnxModel() {
        assertThrows(IllegalArgumentException.class, () -> Fp16Graph.convert("not a model".getBytes()));
    }

    private static float[] run(EsrganModel model, SourceImage src) {
        try (model) {
            float[][] out = new float[1][];
            model.upscale(src.chw().duplicate(), src.width(), src.height(), o -> {
                out[0] = new float[o.remaining()];
                o.get(out[0]);
            });
            return out[0];
        }
    }
}
