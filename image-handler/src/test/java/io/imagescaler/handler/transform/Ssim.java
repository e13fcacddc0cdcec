package io.imagescaler.handler.transform;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_16U;
import static org.bytedeco.opencv.global.opencv_core.add;
import static org.bytedeco.opencv.global.opencv_core.divide;
import static org.bytedeco.opencv.global.opencv_core.mean;
import static org.bytedeco.opencv.global.opencv_core.multiply;
import static org.bytedeco.opencv.global.opencv_core.subtract;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Structural similarity (Wang et al. 2004: 11x11 Gaussian window, sigma 1.5, K1 0.01, K2 0.03) of the
 * luma of two images, after compositing any alpha over white (what a page shows).
 */
final class Ssim {
    private Ssim() {
    }

    static double of(Mat a, Mat b) {
        Mat ga = luma(a);
        Mat gb = luma(b);
        if (ga.cols() != gb.cols() || ga.rows() != gb.rows()) {
            Mat r = new Mat();
            resize(ga, r, gb.size(), 0, 0, INTER_AREA);
            ga = r;
        }
        double c1 = Math.pow(0.01 * 255, 2);
        double c2 = Math.pow(0.03 * 255, 2);
        Mat mu1 = blur(ga);
        Mat mu2 = blur(gb);
        Mat mu1mu2 = mul(mu1, mu2);
        Mat mu1sq = mul(mu1, mu1);
        Mat mu2sq = mul(mu2, mu2);
        Mat s1 = sub(blur(mul(ga, ga)), mu1sq);
        Mat s2 = sub(blur(mul(gb, gb)), mu2sq);
        Mat s12 = sub(blur(mul(ga, gb)), mu1mu2);
        Mat num = mul(plus(scale(mu1mu2, 2), c1), plus(scale(s12, 2), c2));
        Mat den = mul(plus(add(mu1sq, mu2sq), c1), plus(add(s1, s2), c2));
        Mat map = new Mat();
        divide(num, den, map);
        return mean(map).get(0);
    }

    private static Mat luma(Mat m) {
        Mat eight = m;
        if (m.depth() == CV_16U) {
            eight = new Mat();
            m.convertTo(eight, CV_8U, 1.0 / 257, 0);
        }
        Mat bgr = eight;
        if (eight.channels() == 4) {
            bgr = onWhite(eight);
        } else if (eight.channels() == 1) {
            bgr = eight;
        }
        Mat gray = new Mat();
        if (bgr.channels() == 3) {
            cvtColor(bgr, gray, COLOR_BGR2GRAY);
        } else {
            gray = bgr;
        }
        Mat f = new Mat();
        gray.convertTo(f, CV_32F);
        return f;
    }

    private static Mat onWhite(Mat bgra) {
        Mat f = new Mat();
        bgra.convertTo(f, CV_32F);
        org.bytedeco.opencv.opencv_core.MatVector planes = new org.bytedeco.opencv.opencv_core.MatVector();
        opencv_core.split(f, planes);
        Mat alpha = new Mat();
        planes.get(3).convertTo(alpha, CV_32F, 1 / 255.0, 0);
        Mat inv = new Mat();
        subtract(new Mat(alpha.size(), CV_32F, Scalar.all(1)), alpha, inv);
        Mat white = scale(inv, 255);
        Mat[] out = new Mat[3];
        for (int c = 0; c < 3; c++) {
            out[c] = add(mul(planes.get(c), alpha), white);
        }
        Mat merged = new Mat();
        opencv_core.merge(new org.bytedeco.opencv.opencv_core.MatVector(out[0], out[1], out[2]), merged);
        Mat eight = new Mat();
        merged.convertTo(eight, CV_8U);
        return eight;
    }

    private static Mat blur(Mat m) {
        Mat out = new Mat();
        GaussianBlur(m, out, new Size(11, 11), 1.5, 1.5, opencv_core.BORDER_REFLECT101, 0);
        return out;
    }

    private static Mat mul(Mat a, Mat b) {
        Mat out = new Mat();
        multiply(a, b, out);
        return out;
    }

    private static Mat sub(Mat a, Mat b) {
        Mat out = new Mat();
        subtract(a, b, out);
        return out;
    }

    private static Mat add(Mat a, Mat b) {
        Mat out = new Mat();
        opencv_core.add(a, b, out);
        return out;
    }

    private static Mat plus(Mat a, double c) {
        Mat out = new Mat();
        opencv_core.add(a, new Mat(a.size(), a.type(), Scalar.all(c)), out);
        return out;
    }

    private static Mat scale(Mat a, double c) {
        Mat out = new Mat();
        a.convertTo(out, -1, c, 0);
        return out;
    }
}
