package io.imagescaler.handler.transform;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2BGRA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import org.bytedeco.opencv.opencv_core.Mat;

/** Centres the resized image on the canvas ({@code contain}), filling with the background colour. */
final class Pad implements Step {

    @Override
    public String stage() {
        return "resize";
    }

    @Override
    public void apply(RenderJob job) {
        int cw = job.geometry.canvasWidth();
        int ch = job.geometry.canvasHeight();
        if (cw <= job.width() && ch <= job.height()) {
            return;
        }
        Background bg = Background.of(job.spec.background(), job.outputKeepsAlpha());
        Mat src = job.pixels;
        if (!bg.opaque() && !job.hasAlpha()) {
            Mat withAlpha = new Mat();
            cvtColor(src, withAlpha, COLOR_BGR2BGRA);
            src = withAlpha;
        }
        int left = (cw - job.width()) / 2;
        int top = (ch - job.height()) / 2;
        Mat out = new Mat();
        copyMakeBorder(src, out, top, ch - job.height() - top, left, cw - job.width() - left, BORDER_CONSTANT, bg.bgra());
        job.pixels = out;
    }
}
