package io.imagescaler.handler.transform.portable;

/**
 * "Smart" crop, as the native pipeline scores it: the window with the most edge energy (absolute
 * 4-neighbour Laplacian of the Rec. 601 grey image, borders reflected), which lands on the subject in
 * most photos and product shots. The window only slides along the axis the crop shortens, so summing
 * rows or columns is enough.
 */
final class Attention {

    private Attention() {
    }

    /** The top-left corner {x, y} of the {@code cw x ch} window with the most detail. */
    static int[] bestWindow(Pixels p, int cw, int ch) {
        int w = p.width();
        int h = p.height();
        int[] grey = new int[w * h];
        int[] src = p.argb();
        for (int i = 0; i < grey.length; i++) {
            grey[i] = Pixels.luma(src[i]);
        }
        double[] columns = new double[w];
        double[] rows = new double[h];
        for (int y = 0; y < h; y++) {
            int up = reflect(y - 1, h) * w;
            int down = reflect(y + 1, h) * w;
            int row = y * w;
            for (int x = 0; x < w; x++) {
                int left = reflect(x - 1, w);
                int right = reflect(x + 1, w);
                int energy = Math.abs(grey[up + x] + grey[down + x] + grey[row + left] + grey[row + right] - 4 * grey[row + x]);
                columns[x] += energy;
                rows[y] += energy;
            }
        }
        int x = cw < w ? bestStart(columns, cw) : 0;
        int y = ch < h ? bestStart(rows, ch) : 0;
        return new int[] {x, y};
    }

    private static int bestStart(double[] sums, int window) {
        int length = sums.length;
        double[] prefix = new double[length + 1];
        for (int i = 0; i < length; i++) {
            prefix[i + 1] = prefix[i] + sums[i];
        }
        int best = (length - window) / 2;
        double bestSum = prefix[best + window] - prefix[best];
        for (int s = 0; s + window <= length; s++) {
            double sum = prefix[s + window] - prefix[s];
            if (sum > bestSum) {
                bestSum = sum;
                best = s;
            }
        }
        return best;
    }

    /** OpenCV's BORDER_REFLECT_101: -1 -> 1, n -> n - 2. */
    static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        if (i < 0) {
            return -i;
        }
        return i >= n ? 2 * n - 2 - i : i;
    }
}
