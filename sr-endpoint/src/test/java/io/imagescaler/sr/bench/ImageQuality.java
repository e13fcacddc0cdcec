package io.imagescaler.sr.bench;

import java.awt.image.BufferedImage;

/**
 * PSNR and SSIM as super-resolution papers report them: on the luma (BT.601 Y) channel, with a border of
 * {@code shave} pixels left out (the network and the resamplers both guess at the edge), SSIM with an
 * 11×11 Gaussian window (σ = 1.5), K1 = 0.01, K2 = 0.03, L = 255 (Wang et al. 2004).
 */
final class ImageQuality {

    private ImageQuality() {
    }

    static double[] luma(BufferedImage img, int shave) {
        int w = img.getWidth() - 2 * shave, h = img.getHeight() - 2 * shave;
        double[] y = new double[w * h];
        for (int j = 0; j < h; j++)
            for (int i = 0; i < w; i++) {
                int p = img.getRGB(i + shave, j + shave);
                y[j * w + i] = 16 + (65.481 * ((p >> 16) & 0xff) + 128.553 * ((p >> 8) & 0xff) + 24.966 * (p & 0xff)) / 255.0;
            }
        return y;
    }

    static double psnr(BufferedImage reference, BufferedImage test, int shave) {
        double[] a = luma(reference, shave), b = luma(test, shave);
        double mse = 0;
        for (int i = 0; i < a.length; i++) mse += (a[i] - b[i]) * (a[i] - b[i]);
        mse /= a.length;
        return 10 * Math.log10(255.0 * 255.0 / mse);
    }

    static double ssim(BufferedImage reference, BufferedImage test, int shave) {
        int w = reference.getWidth() - 2 * shave, h = reference.getHeight() - 2 * shave;
        double[] a = luma(reference, shave), b = luma(test, shave);
        double[] g = gaussian(11, 1.5);
        double[] muA = blur(a, w, h, g), muB = blur(b, w, h, g);
        double[] aa = new double[a.length], bb = new double[a.length], ab = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            aa[i] = a[i] * a[i];
            bb[i] = b[i] * b[i];
            ab[i] = a[i] * b[i];
        }
        double[] sAA = blur(aa, w, h, g), sBB = blur(bb, w, h, g), sAB = blur(ab, w, h, g);
        double c1 = Math.pow(0.01 * 255, 2), c2 = Math.pow(0.03 * 255, 2);
        int r = g.length / 2;
        double sum = 0;
        int n = 0;
        // only windows that lie wholly inside the image ("valid"), as in the reference implementation
        for (int y = r; y < h - r; y++)
            for (int x = r; x < w - r; x++) {
                int i = y * w + x;
                double ma = muA[i], mb = muB[i];
                double va = sAA[i] - ma * ma, vb = sBB[i] - mb * mb, cov = sAB[i] - ma * mb;
                sum += ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
                n++;
            }
        return sum / n;
    }

    private static double[] gaussian(int size, double sigma) {
        double[] g = new double[size];
        double sum = 0;
        for (int i = 0; i < size; i++) {
            double d = i - size / 2;
            g[i] = Math.exp(-d * d / (2 * sigma * sigma));
            sum += g[i];
        }
        for (int i = 0; i < size; i++) g[i] /= sum;
        return g;
    }

    /** Separable blur; values near the border are not used by {@link #ssim}, so they are left unblurred. */
    private static double[] blur(double[] src, int w, int h, double[] g) {
        int r = g.length / 2;
        double[] tmp = src.clone(), out = src.clone();
        for (int y = 0; y < h; y++)
            for (int x = r; x < w - r; x++) {
                double s = 0;
                for (int k = -r; k <= r; k++) s += g[k + r] * src[y * w + x + k];
                tmp[y * w + x] = s;
            }
        for (int y = r; y < h - r; y++)
            for (int x = 0; x < w; x++) {
                double s = 0;
                for (int k = -r; k <= r; k++) s += g[k + r] * tmp[(y + k) * w + x];
                out[y * w + x] = s;
            }
        return out;
    }
}
