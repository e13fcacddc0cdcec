package io.imagescaler.handler.transform.portable;

/**
 * Resizes to the planned size as the native pipeline does: area averaging when reducing (every source
 * pixel contributes by the area it covers, no aliasing), Lanczos (a = 4, OpenCV's LANCZOS4) on an
 * axis the transform asked to enlarge. Separable: rows, then columns, in floats. Images with alpha are
 * resized premultiplied, so transparent pixels' colours do not bleed in as dark fringes.
 */
final class Resize {

    private Resize() {
    }


    static Pixels resize(Pixels p, int w, int h) {
        int sw = p.width();
        int sh = p.height();
        boolean alpha = p.alpha();
        int nc = alpha ? 4 : 3;
        Taps horizontal = Taps.of(sw, w);
        Taps vertical = Taps.of(sh, h);
        // Pass 1: each source row to w pixels (premultiplied, channel-interleaved floats).
        float[] rows = new float[sh * w * nc];
        float[] line = new float[sw * nc];
        int[] src = p.argb();
        for (int y = 0; y < sh; y++) {
            int base = y * sw;
            for (int x = 0; x < sw; x++) {
                int v = src[base + x];
                int o = x * nc;
                if (alpha) {
                    float a = (v >>> 24) / 255f;
                    line[o] = ((v >> 16) & 0xff) * a;
                    line[o + 1] = ((v >> 8) & 0xff) * a;
                    line[o + 2] = (v & 0xff) * a;
                    line[o + 3] = v >>> 24;
                } else {
                    line[o] = (v >> 16) & 0xff;
                    line[o + 1] = (v >> 8) & 0xff;
                    line[o + 2] = v & 0xff;
                }
            }
            horizontal.apply(line, rows, y * w * nc, nc);
        }
        // Pass 2: columns to h rows, then back to straight 8-bit ARGB.
        int[] out = new int[w * h];
        float[] acc = new float[w * nc];
        for (int y = 0; y < h; y++) {
            java.util.Arrays.fill(acc, 0f);
            int first = vertical.first[y];
            float[] weights = vertical.weights[y];
            for (int k = 0; k < weights.length; k++) {
                float wk = weights[k];
                int row = (first + k) * w * nc;
                for (int i = 0; i < acc.length; i++) {
                    acc[i] += wk * rows[row + i];
                }
            }
            int ob = y * w;
            for (int x = 0; x < w; x++) {
                int o = x * nc;
                if (alpha) {
                    float a = acc[o + 3];
                    int a8 = Pixels.clamp(a);
                    float unmul = a > 0 ? 255f / a : 0f;
                    out[ob + x] = Pixels.pack(a8, a8 == 0 ? 0 : Pixels.clamp(acc[o] * unmul),
                            a8 == 0 ? 0 : Pixels.clamp(acc[o + 1] * unmul), a8 == 0 ? 0 : Pixels.clamp(acc[o + 2] * unmul));
                } else {
                    out[ob + x] = Pixels.pack(255, Pixels.clamp(acc[o]), Pixels.clamp(acc[o + 1]), Pixels.clamp(acc[o + 2]));
                }
            }
        }
        return new Pixels(w, h, out, alpha);
    }

    /** For each output index: the first source index it reads and the weight of each source index from there. */
    static final class Taps {
        final int[] first;
        final float[][] weights;

        private Taps(int[] first, float[][] weights) {
            this.first = first;
            this.weights = weights;
        }

        static Taps of(int from, int to) {
            return to > from ? lanczos(from, to) : area(from, to);
        }

        /** Output i covers source [i*s, (i+1)*s); each source pixel weighs the part of it that is covered. */
        static Taps area(int from, int to) {
            double s = (double) from / to;
            int[] first = new int[to];
            float[][] weights = new float[to][];
            for (int i = 0; i < to; i++) {
                double start = i * s;
                double end = Math.min(from, (i + 1) * s);
                int j0 = (int) Math.floor(start);
                int j1 = Math.min(from, (int) Math.ceil(end));
                float[] w = new float[Math.max(1, j1 - j0)];
                double sum = 0;
                for (int j = j0; j < j0 + w.length; j++) {
                    double overlap = Math.min(j + 1, end) - Math.max(j, start);
                    w[j - j0] = (float) Math.max(0, overlap);
                    sum += w[j - j0];
                }
                for (int k = 0; k < w.length; k++) {
                    w[k] = (float) (w[k] / sum);
                }
                first[i] = j0;
                weights[i] = w;
            }
            return new Taps(first, weights);
        }

        /** Lanczos a = 4 around each output pixel's centre, edges replicated, weights summing to 1. */
        static Taps lanczos(int from, int to) {
            double s = (double) from / to;
            int[] first = new int[to];
            float[][] weights = new float[to][];
            for (int i = 0; i < to; i++) {
                double centre = (i + 0.5) * s - 0.5;
                int left = (int) Math.floor(centre) - 3;
                double[] raw = new double[8];
                double sum = 0;
                for (int k = 0; k < 8; k++) {
                    raw[k] = lanczos4(centre - (left + k));
                    sum += raw[k];
                }
                // Fold taps that fall outside the image onto the edge pixels.
                int lo = Math.max(0, left);
                int hi = Math.min(from - 1, left + 7);
                float[] w = new float[hi - lo + 1];
                for (int k = 0; k < 8; k++) {
                    int j = Math.max(lo, Math.min(hi, left + k));
                    w[j - lo] += (float) (raw[k] / sum);
                }
                first[i] = lo;
                weights[i] = w;
            }
            return new Taps(first, weights);
        }

        private static double lanczos4(double x) {
            if (x == 0) {
                return 1;
            }
            if (Math.abs(x) >= 4) {
                return 0;
            }
            double px = Math.PI * x;
            return 4 * Math.sin(px) * Math.sin(px / 4) / (px * px);
        }

        /** Resamples one channel-interleaved line into {@code out} from {@code offset}. */
        void apply(float[] line, float[] out, int offset, int nc) {
            for (int i = 0; i < first.length; i++) {
                float[] w = weights[i];
                int base = first[i] * nc;
                int o = offset + i * nc;
                for (int c = 0; c < nc; c++) {
                    float sum = 0;
                    for (int k = 0; k < w.length; k++) {
                        sum += w[k] * line[base + k * nc + c];
                    }
                    out[o + c] = sum;
                }
            }
        }
    }
}
