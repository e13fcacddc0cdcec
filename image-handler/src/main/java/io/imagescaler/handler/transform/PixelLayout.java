package io.imagescaler.handler.transform;

import static org.bytedeco.opencv.global.opencv_core.CV_16U;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;

import io.imagescaler.handler.error.ImageScalerException.UnsupportedImage;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Every step works on one pixel layout: 8-bit, BGR or BGRA, continuous. 16-bit input is reduced
 * with rounding (x / 257), grey becomes BGR.
 */
final class PixelLayout {

    private PixelLayout() {
    }

    static Mat toBgrOrBgra8(Mat m) {
        Mat out = m;
        if (out.depth() == CV_16U) {
            Mat reduced = new Mat();
            out.convertTo(reduced, CV_8U, 1.0 / 257, 0);
            out = reduced;
        } else if (out.depth() != CV_8U) {
            throw new UnsupportedImage("pixel depth " + out.depth() + " is not supported");
        }
        if (out.channels() == 1) {
            Mat bgr = new Mat();
            cvtColor(out, bgr, COLOR_GRAY2BGR);
            out = bgr;
        }
        return out.isContinuous() ? out : out.clone();
    }
}
