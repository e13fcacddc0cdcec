package io.imagescaler.handler.transform;

import java.awt.image.BufferedImage;

/**
 * A decoded test output: 8-bit samples in B, G, R (, A) order, the layout the assertions were written
 * against. Decoded by ImageIO (the JDK and TwelveMonkeys), not by the engine under test.
 */
record Img(int cols, int rows, int channels, int[] argb) {

    static Img of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        boolean alpha = image.getColorModel().hasAlpha();
        return new Img(w, h, alpha ? 4 : 3, image.getRGB(0, 0, w, h, null, 0, w));
    }

    /** Sample {@code c} (0 = blue, 1 = green, 2 = red, 3 = alpha) at column x, row y. */
    int get(int y, int x, int c) {
        int v = argb[y * cols + x];
        return switch (c) {
            case 0 -> v & 0xff;
            case 1 -> (v >> 8) & 0xff;
            case 2 -> (v >> 16) & 0xff;
            default -> v >>> 24;
        };
    }

    boolean empty() {
        return cols == 0 || rows == 0;
    }

    /** Luma (Rec. 601) with alpha composited over white, as floats: what a page shows. */
    float[] lumaOnWhite() {
        float[] out = new float[argb.length];
        for (int i = 0; i < argb.length; i++) {
            int v = argb[i];
            double a = channels == 4 ? (v >>> 24) / 255.0 : 1;
            double r = ((v >> 16) & 0xff) * a + 255 * (1 - a);
            double g = ((v >> 8) & 0xff) * a + 255 * (1 - a);
            double b = (v & 0xff) * a + 255 * (1 - a);
            out[i] = (float) Math.round(0.299 * r + 0.587 * g + 0.114 * b);
        }
        return out;
    }

    /** The mean of each of R, G, B over the image, composited over white. */
    double[] meanRgb() {
        double[] sum = new double[3];
        for (int v : argb) {
            double a = channels == 4 ? (v >>> 24) / 255.0 : 1;
            sum[0] += ((v >> 16) & 0xff) * a + 255 * (1 - a);
            sum[1] += ((v >> 8) & 0xff) * a + 255 * (1 - a);
            sum[2] += (v & 0xff) * a + 255 * (1 - a);
        }
        for (int c = 0; c < 3; c++) {
            sum[c] /= argb.length;
        }
        return sum;
    }
}
