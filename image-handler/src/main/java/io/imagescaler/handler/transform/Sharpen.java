package io.imagescaler.handler.transform;

import static org.bytedeco.opencv.global.opencv_core.addWeighted;

import org.bytedeco.opencv.opencv_core.Mat;

/** Unsharp mask (sigma 1 px) with the {@code sharpen_} amount: out = img + amount * (img - blurred). */
final class Sharpen implements Step {

    @Override
    public String stage() {
        return "effects";
    }

    @Override
    public void apply(RenderJob job) {
        double amount = job.spec.sharpen();
        if (amount <= 0) {
            return;
        }
        Mat blurred = Blur.blur(job.pixels, 1.0);
        Mat out = new Mat();
        addWeighted(job.pixels, 1 + amount, blurred, -amount, 0, out);
        job.pixels = out;
    }
}
