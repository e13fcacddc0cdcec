package io.imagescaler.handler.transform;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.merge;
import static org.bytedeco.opencv.global.opencv_core.multiply;
import static org.bytedeco.opencv.global.opencv_core.split;
import static org.bytedeco.opencv.global.opencv_core.subtract;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * Composites transparent pixels over the background when the output cannot carry alpha (JPEG) or
 * an opaque {@code bg_} colour was asked for: out = colour * a + background * (1 - a).
 */
final class Flatten implements Step {

    @Override
    public String stage() {
        return "effects";
    }

    @Override
    public void apply(RenderJob job) {
        if (!job.hasAlpha()) {
            return;
        }
        if (!Background.replacesAlpha(job.spec.background(), job.outputKeepsAlpha())) {
            return;
        }
        Background bg = Background.of(job.spec.background(), job.outputKeepsAlpha());
        MatVector planes = new MatVector();
        split(job.pixels, planes);
        Mat alpha = new Mat();
        planes.get(3).convertTo(alpha, CV_32F, 1 / 255.0, 0);
        Mat inverse = new Mat();
        subtract(new Mat(alpha.size(), CV_32F, Scalar.all(1)), alpha, inverse);
        double[] background = {bg.b(), bg.g(), bg.r()};
        Mat[] out = new Mat[3];
        for (int c = 0; c < 3; c++) {
            Mat colour = new Mat();
            planes.get(c).convertTo(colour, CV_32F);
            Mat weighted = new Mat();
            multiply(colour, alpha, weighted);
            Mat fill = new Mat();
            multiply(inverse, new Mat(alpha.size(), CV_32F, Scalar.all(background[c])), fill);
            Mat sum = new Mat();
            add(weighted, fill, sum);
            out[c] = new Mat();
            sum.convertTo(out[c], CV_8U);
        }
        Mat flat = new Mat();
        merge(new MatVector(out[0], out[1], out[2]), flat);
        job.pixels = flat;
    }
}
