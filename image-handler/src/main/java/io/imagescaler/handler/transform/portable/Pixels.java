package io.imagescaler.handler.transform.portable;

/**
 * The one pixel layout every portable step works on: 8-bit sRGB, straight (not premultiplied) alpha,
 * one {@code 0xAARRGGBB} int per pixel, row by row. Opaque images carry alpha 0xff and
 * {@code alpha == false}, so encoders know to write three channels.
 */
record Pixels(int width, int height, int[] argb, boolean alpha) {

    Pixels {
        if (argb.length != width * height) {
            throw new IllegalArgumentException(argb.length + " pixels for " + width + "x" + height);
        }
    }

    static Pixels blank(int width, int height, boolean alpha) {
        return new Pixels(width, height, new int[width * height], alpha);
    }

    int at(int x, int y) {
        return argb[y * width + x];
    }

    static int a(int p) {
        return p >>> 24;
    }

    static int r(int p) {
        return (p >> 16) & 0xff;
    }

    static int g(int p) {
        return (p >> 8) & 0xff;
    }

    static int b(int p) {
        return p & 0xff;
    }

    static int pack(int a, int r, int g, int b) {
        return a << 24 | r << 16 | g << 8 | b;
    }

    /** Rounds and clamps a channel value to 0..255. */
    static int clamp(double v) {
        long r = Math.round(v);
        return r < 0 ? 0 : r > 255 ? 255 : (int) r;
    }

    /** Rec. 601 luma (0.299 R + 0.587 G + 0.114 B) in 14-bit fixed point, rounded. */
    static int luma(int argb) {
        return (((argb >> 16) & 0xff) * 4899 + ((argb >> 8) & 0xff) * 9617 + (argb & 0xff) * 1868 + (1 << 13)) >> 14;
    }
}
