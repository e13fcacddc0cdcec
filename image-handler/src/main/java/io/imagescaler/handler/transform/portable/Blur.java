package io.imagescaler.handler.transform.portable;

/**
 * Gaussian blur with the {@code blur_} sigma, in output pixels: OpenCV's kernel for 8-bit images
 * (size round(6 sigma + 1), odd), separable, borders reflected (BORDER_REFLECT_101), every channel
 * including alpha, as the native step.
 */
final class Blur {

    private Blur() {
    }


    /** The blurred image's channels as floats (ARGB order, 4 per pixel), before rounding. */
    static float[] blurred(Pixels p, double sigma) {
        int size = (int) Math.round(sigma * 3 * 2 + 1) | 1;
        int radius = size / 2;
        float[] kernel = new float[size];
        double sum = 0;
        for (int i = 0; i < size; i++) {
            double d = i - radius;
            kernel[i] = (float) Math.exp(-d * d / (2 * sigma * sigma));
            sum += kernel[i];
        }
        for (int i = 0; i < size; i++) {
            kernel[i] = (float) (kernel[i] / sum);
        }
        int w = p.width();
        int h = p.height();
        int[] src = p.argb();
        float[] channels = new float[w * h * 4];
        for (int i = 0; i < src.length; i++) {
            int v = src[i];
            channels[i * 4] = v >>> 24;
            channels[i * 4 + 1] = (v >> 16) & 0xff;
            channels[i * 4 + 2] = (v >> 8) & 0xff;
            channels[i * 4 + 3] = v & 0xff;
        }
        float[] horizontal = new float[channels.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 4;
                for (int k = 0; k < size; k++) {
                    int sx = reflect(x + k - radius, w);
                    int s = (y * w + sx) * 4;
                    float kv = kernel[k];
                    horizontal[o] += kv * channels[s];
                    horizontal[o + 1] += kv * channels[s + 1];
                    horizontal[o + 2] += kv * channels[s + 2];
                    horizontal[o + 3] += kv * channels[s + 3];
                }
            }
        }
        java.util.Arrays.fill(channels, 0f);
        for (int y = 0; y < h; y++) {
            for (int k = 0; k < size; k++) {
                int sy = reflect(y + k - radius, h);
                float kv = kernel[k];
                int s = sy * w * 4;
                int o = y * w * 4;
                for (int i = 0; i < w * 4; i++) {
                    channels[o + i] += kv * horizontal[s + i];
                }
            }
        }
        return channels;
    }

    private static int reflect(int i, int n) {
        // A kernel wider than the image reflects more than once.
        while (i < 0 || i >= n) {
            i = Attention.reflect(i, n);
            if (n == 1) {
                return 0;
            }
        }
        return i;
    }

    static Pixels blur(Pixels p, double sigma) {
        float[] c = blurred(p, sigma);
        int[] out = new int[p.argb().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Pixels.pack(Pixels.clamp(c[i * 4]), Pixels.clamp(c[i * 4 + 1]), Pixels.clamp(c[i * 4 + 2]),
                    Pixels.clamp(c[i * 4 + 3]));
        }
        return new Pixels(p.width(), p.height(), out, p.alpha());
    }
}
