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
