package io.imagescaler.sr.bench;

import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

import java.awt.image.BufferedImage;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

/** The classical resamplers the network is measured against, from OpenCV (not hand-written kernels). */
final class Resamplers {

    private Resamplers() {
    }

    static BufferedImage resize(BufferedImage src, int w, int h, int interpolation) {
        int sw = src.getWidth(), sh = src.getHeight();
        byte[] bgr = new byte[sw * sh * 3];
        for (int y = 0; y < sh; y++)
            for (int x = 0; x < sw; x++) {
                int p = src.getRGB(x, y), i = (y * sw + x) * 3;
                bgr[i] = (byte) p;
                bgr[i + 1] = (byte) (p >> 8);
                bgr[i + 2] = (byte) (p >> 16);
            }
        try (Mat in = new Mat(sh, sw, CV_8UC3); Mat out = new Mat(); Size size = new Size(w, h)) {
            in.data().put(bgr);
            opencv_imgproc.resize(in, out, size, 0, 0, interpolation);
            byte[] res = new byte[w * h * 3];
            out.data().get(res);
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) {
                    int i = (y * w + x) * 3;
                    img.setRGB(x, y, (res[i + 2] & 0xff) << 16 | (res[i + 1] & 0xff) << 8 | (res[i] & 0xff));
                }
            return img;
        }
    }

    /** Area averaging: the anti-aliased reduction used to make the low-resolution inputs. */
    static BufferedImage shrink(BufferedImage src, int factor) {
        return resize(src, src.getWidth() / factor, src.getHeight() / factor, opencv_imgproc.INTER_AREA);
    }

    /**
     * MATLAB {@code imresize(img, 1/factor, 'bicubic')} with its default anti-aliasing: the degradation that
     * produced DIV2K's bicubic low-resolution images, on which the models were trained. OpenCV has no
     * anti-aliased bicubic reduction, so it is written out here: a Keys cubic (a = -0.5) stretched by the
     * factor, weights normalised, edges replicated, separable, in floating point.
     */
    static BufferedImage shrinkBicubicAntialiased(BufferedImage src, int factor) {
        int w = src.getWidth(), h = src.getHeight(), ow = w / factor, oh = h / factor;
        float[][] planes = new float[3][w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int p = src.getRGB(x, y);
                planes[0][y * w + x] = (p >> 16) & 0xff;
                planes[1][y * w + x] = (p >> 8) & 0xff;
                planes[2][y * w + x] = p & 0xff;
            }
        int taps = 4 * factor + 2;
        BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        float[][] rows = new float[3][ow * h];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++)
                for (int x = 0; x < ow; x++) rows[c][y * ow + x] = tap(planes[c], y * w, 1, w, x, factor, taps);
        }
        int[] rgb = new int[3];
        for (int y = 0; y < oh; y++)
            for (int x = 0; x < ow; x++) {
                for (int c = 0; c < 3; c++) {
                    float v = tap(rows[c], x, ow, h, y, factor, taps);
                    rgb[c] = Math.max(0, Math.min(255, Math.round(v)));
                }
                out.setRGB(x, y, rgb[0] << 16 | rgb[1] << 8 | rgb[2]);
            }
        return out;
    }

    private static float tap(float[] data, int base, int stride, int length, int outIndex, int factor, int taps) {
        double centre = (outIndex + 0.5) * factor - 0.5;
        int first = (int) Math.floor(centre - taps / 2.0);
        double sum = 0, weights = 0;
        for (int k = first; k <= first + taps; k++) {
            double wgt = cubic((k - centre) / factor);
            if (wgt == 0) continue;
            int i = Math.max(0, Math.min(length - 1, k));
            sum += wgt * data[base + i * stride];
            weights += wgt;
        }
        return (float) (sum / weights);
    }

    private static double cubic(double x) {
        double a = Math.abs(x);
        if (a <= 1) return 1.5 * a * a * a - 2.5 * a * a + 1;
        if (a < 2) return -0.5 * a * a * a + 2.5 * a * a - 4 * a + 2;
        return 0;
    }

    static BufferedImage lanczos(BufferedImage src, int factor) {
        return resize(src, src.getWidth() * factor, src.getHeight() * factor, opencv_imgproc.INTER_LANCZOS4);
    }

    static BufferedImage bicubic(BufferedImage src, int factor) {
        return resize(src, src.getWidth() * factor, src.getHeight() * factor, opencv_imgproc.INTER_CUBIC);
    }

    static BufferedImage nearest(BufferedImage src, int factor) {
        return resize(src, src.getWidth() * factor, src.getHeight() * factor, opencv_imgproc.INTER_NEAREST);
    }
}
