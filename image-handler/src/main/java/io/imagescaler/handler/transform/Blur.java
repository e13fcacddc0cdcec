package io.imagescaler.handler.transform;

import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/** Gaussian blur with the {@code blur_} sigma, in output pixels. */
final class Blur implements Step {

    @Override
    public String stage() {
        return "effects";
    }

    @Override
    public void apply(RenderJob job) {
        if (job.spec.blur() <= 0) {
            return;
        }
        job.pixels = blur(job.pixels, job.spec.blur());
    }

    static Mat blur(Mat m, double sigma) {
        Mat out = new Mat();
        GaussianBlur(m, out, new Size(0, 0), sigma, sigma, org.bytedeco.opencv.global.opencv_core.BORDER_REFLECT101, 0);
        return out;
    }
}
