package io.imagescaler.handler.transform;

import static org.bytedeco.opencv.global.opencv_core.merge;
import static org.bytedeco.opencv.global.opencv_core.split;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;

/** {@code gray}: Rec. 601 luma into all three channels; alpha is kept. */
final class Grayscale implements Step {

    @Override
    public String stage() {
        return "effects";
    }

    @Override
    public void apply(RenderJob job) {
        if (!job.spec.gray()) {
            return;
        }
        Mat gray = new Mat();
        cvtColor(job.pixels, gray, job.hasAlpha() ? COLOR_BGRA2GRAY : COLOR_BGR2GRAY);
        Mat out = new Mat();
        if (job.hasAlpha()) {
            MatVector planes = new MatVector();
            split(job.pixels, planes);
            merge(new MatVector(gray, gray, gray, planes.get(3)), out);
        } else {
            merge(new MatVector(gray, gray, gray), out);
        }
        job.pixels = out;
    }
}
