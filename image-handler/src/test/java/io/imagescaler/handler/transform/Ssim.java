package io.imagescaler.handler.transform;

/**
 * Structural similarity (Wang et al. 2004: 11x11 Gaussian window, sigma 1.5, K1 0.01, K2 0.03) of the
 * luma of two images, after compositing any alpha over white (what a page shows). An image of another
 * size is first area-averaged to the other's size.
 */
final class Ssim {
    private static final float[] WINDOW = gaussian(11, 1.5);

    private Ssim() {
    }

    static double of(Img a, Img b) {
        float[] ga = a.lumaOnWhite();
        float[] gb = b.lumaOnWhite();
        int w = b.cols();
        int h = b.rows();
        if (a.cols() != w || a.rows() != h) {
            ga = area(ga, a.cols(), a.rows(), w, h);
        }
        double c1 = Math.pow(0.01 * 255, 2);
        double c2 = Math.pow(0.03 * 255, 2);
        float[] mu1 = blur(ga, w, h);
        float[] mu2 = blur(gb, w, h);
        float[] aa = blur(product(ga, ga), w, h);
        float[] bb = blur(product(gb, gb), w, h);
        float[] ab = blur(product(ga, gb), w, h);
        double sum = 0;
        for (int i = 0; i < ga.length; i++) {
            double m1 = mu1[i];
            double m2 = mu2[i];
            double s1 = aa[i] - m1 * m1;
            double s2 = bb[i] - m2 * m2;
            double s12 = ab[i] - m1 * m2;
            sum += ((2 * m1 * m2 + c1) * (2 * s12 + c2)) / ((m1 * m1 + m2 * m2 + c1) * (s1 + s2 + c2));
        }
        return sum / ga.length;
    }

    private static float[] product(float[] a, float[] b) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] * b[i];
        }
        return out;
    }

    /** Separable Gaussian, borders reflected (101). */
    private static float[] blur(float[] src, int w, int h) {
        int r = WINDOW.length / 2;
        float[] tmp = new float[src.length];
        float[] out = new float[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int k = -r; k <= r; k++) {
                    s += WINDOW[k + r] * src[y * w + reflect(x + k, w)];
                }
                tmp[y * w + x] = (float) s;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int k = -r; k <= r; k++) {
                    s += WINDOW[k + r] * tmp[reflect(y + k, h) * w + x];
                }
                out[y * w + x] = (float) s;
            }
        }
        return out;
    }

    private static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        while (i < 0 || i >= n) {
            i = i < 0 ? -i : 2 * n - 2 - i;
        }
        return i;
    }

    /** Area averaging from sw x sh to w x h (each source pixel weighted by the area it covers). */
    private static float[] area(float[] src, int sw, int sh, int w, int h) {
        float[] out = new float[w * h];
        double fx = (double) sw / w;
        double fy = (double) sh / h;
        for (int y = 0; y < h; y++) {
            double y0 = y * fy;
            double y1 = y0 + fy;
            for (int x = 0; x < w; x++) {
                double x0 = x * fx;
                double x1 = x0 + fx;
                double sum = 0;
                double weight = 0;
                for (int sy = (int) y0; sy < Math.min(sh, Math.ceil(y1)); sy++) {
                    double wy = Math.min(y1, sy + 1) - Math.max(y0, sy);
                    for (int sx = (int) x0; sx < Math.min(sw, Math.ceil(x1)); sx++) {
                        double wx = Math.min(x1, sx + 1) - Math.max(x0, sx);
                        sum += src[sy * sw + sx] * wx * wy;
                        weight += wx * wy;
                    }
                }
                out[y * w + x] = (float) (sum / weight);
            }
        }
        return out;
    }

    private static float[] gaussian(int size, double sigma) {
        float[] k = new float[size];
        double sum = 0;
        for (int i = 0; i < size; i++) {
            double d = i - size / 2;
            k[i] = (float) Math.exp(-d * d / (2 * sigma * sigma));
            sum += k[i];
        }
        for (int i = 0; i < size; i++) {
            k[i] /= (float) sum;
        }
        return k;
    }
}
