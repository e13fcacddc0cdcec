package io.imagescaler.handler.transform;

import io.imagescaler.handler.error.ImageScalerException.LimitExceeded;
import io.imagescaler.spec.TransformSpec;
import io.imagescaler.spec.Upscale;

/**
 * Where the pixels go, decided from sizes alone before anything is decoded: the size the (oriented)
 * image is resized to, and the final canvas. {@code cover} crops the resized image down to the
 * canvas; {@code contain} pads it up to the canvas; {@code inside} and {@code fill} use it as is.
 * Without an {@code up_} token nothing is ever enlarged (as imgproxy, sharp's withoutEnlargement).
 */
public record Geometry(int scaledWidth, int scaledHeight, int canvasWidth, int canvasHeight) {

    public static Geometry plan(int width, int height, TransformSpec spec, Limits limits) {
        int tw = spec.pixelWidth();
        int th = spec.pixelHeight();
        boolean enlarge = spec.upscale() != Upscale.NONE;
        Geometry g;
        if (tw == 0 && th == 0) {
            g = new Geometry(width, height, width, height);
        } else if (tw == 0 || th == 0) {
            double s = clamp(tw > 0 ? (double) tw / width : (double) th / height, enlarge);
            g = same(side(width, s), side(height, s));
        } else {
            g = switch (spec.fit()) {
                case FILL -> enlarge ? same(tw, th) : same(Math.min(tw, width), Math.min(th, height));
                case INSIDE -> {
                    double s = clamp(Math.min((double) tw / width, (double) th / height), enlarge);
                    yield same(side(width, s), side(height, s));
                }
                case CONTAIN -> {
                    double s = clamp(Math.min((double) tw / width, (double) th / height), enlarge);
                    yield new Geometry(Math.min(tw, side(width, s)), Math.min(th, side(height, s)), tw, th);
                }
                case COVER -> {
                    double s = clamp(Math.max((double) tw / width, (double) th / height), enlarge);
                    int sw = Math.max(side(width, s), Math.min(tw, width));
                    int sh = Math.max(side(height, s), Math.min(th, height));
                    yield new Geometry(sw, sh, Math.min(tw, sw), Math.min(th, sh));
                }
            };
        }
        int largest = Math.max(Math.max(g.scaledWidth, g.scaledHeight), Math.max(g.canvasWidth, g.canvasHeight));
        if (largest > limits.maxOutputSide()) {
            throw new LimitExceeded("the output would be " + g.canvasWidth + "x" + g.canvasHeight
                    + " (resized " + g.scaledWidth + "x" + g.scaledHeight + "); the longest side may be at most "
                    + limits.maxOutputSide() + " px");
        }
        return g;
    }

    /** True when the resize step makes the image larger on either axis. */
    public boolean enlarges(int width, int height) {
        return scaledWidth > width || scaledHeight > height;
    }

    private static Geometry same(int w, int h) {
        return new Geometry(w, h, w, h);
    }

    private static double clamp(double scale, boolean enlarge) {
        return enlarge ? scale : Math.min(scale, 1.0);
    }

    private static int side(int length, double scale) {
        return (int) Math.max(1, Math.round(length * scale));
    }
}
