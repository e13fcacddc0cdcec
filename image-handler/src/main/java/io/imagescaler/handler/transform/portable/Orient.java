package io.imagescaler.handler.transform.portable;

/**
 * Applies the EXIF orientation (JPEG APP1, PNG eXIf, WebP EXIF, TIFF tag) so the output is upright;
 * the output carries no EXIF, so it must not be applied twice by a viewer.
 */
final class Orient implements Step {

    @Override
    public String stage() {
        return "resize";
    }

    @Override
    public void apply(RenderJob job) {
        job.pixels = orient(job.pixels, job.header.info().orientation());
    }

    /** For each displayed pixel, where it is stored (the EXIF definition of each orientation). */
    static Pixels orient(Pixels p, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return p;
        }
        int sw = p.width();
        int sh = p.height();
        boolean swap = orientation >= 5;
        int w = swap ? sh : sw;
        int h = swap ? sw : sh;
        int[] src = p.argb();
        int[] out = new int[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = sw - 1 - x; sy = y; }
                    case 3 -> { sx = sw - 1 - x; sy = sh - 1 - y; }
                    case 4 -> { sx = x; sy = sh - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = sh - 1 - x; }
                    case 7 -> { sx = sw - 1 - y; sy = sh - 1 - x; }
                    default -> { sx = sw - 1 - y; sy = x; } // 8
                }
                out[y * w + x] = src[sy * sw + sx];
            }
        }
        return new Pixels(w, h, out, p.alpha());
    }
}
