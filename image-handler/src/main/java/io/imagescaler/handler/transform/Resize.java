package io.imagescaler.handler.transform;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_RGBA2mRGBA;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_mRGBA2RGBA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LANCZOS4;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Resizes to the planned size: area averaging when reducing (every source pixel contributes, no
 * aliasing), Lanczos when the transform asked to enlarge. Images with alpha are resized
 * premultiplied, so transparent pixels' colours do not bleed in as dark fringes.
 */
final class Resize implements Step {

    @Override
    public String stage() {
        return "resize";
    }

    @Override
    public void apply(RenderJob job) {
        int w = job.geometry.scaledWidth();
        int h = job.geometry.scaledHeight();
        if (job.width() == w && job.height() == h) {
            return;
        }
        boolean enlarging = w > job.width() || h > job.height();
        int interpolation = enlarging ? INTER_LANCZOS4 : INTER_AREA;
        Mat src = job.pixels;
        if (job.hasAlpha()) {
            Mat premultiplied = new Mat();
            cvtColor(src, premultiplied, COLOR_RGBA2mRGBA);
            src = premultiplied;
        }
        Mat out = new Mat();
        resize(src, out, new Size(w, h), 0, 0, interpolation);
        if (job.hasAlpha()) {
            Mat straight = new Mat();
            cvtColor(out, straight, COLOR_mRGBA2RGBA);
            out = straight;
        }
        job.pixels = out;
    }
}
