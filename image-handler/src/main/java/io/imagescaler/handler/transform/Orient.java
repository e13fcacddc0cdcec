package io.imagescaler.handler.transform;

/**
 * Applies the EXIF orientation (JPEG APP1, PNG eXIf, WebP EXIF, TIFF tag) so the output is upright;
 * the output carries no EXIF, so a viewer cannot apply it twice. Runs after the resize.
 */
final class Orient implements Step {

    @Override
    public String stage() {
        return "resize";
    }

    @Override
    public void apply(RenderJob job) {
        Canvas c = job.canvas;
        // EXIF 2..8 as a clockwise rotation followed by a mirror: 5 = transpose, 7 = transverse.
        c = switch (job.orientation) {
            case 2 -> c.flip(true);
            case 3 -> c.rotate(180);
            case 4 -> c.flip(false);
            case 5 -> c.rotate(90).flip(true);
            case 6 -> c.rotate(90);
            case 7 -> c.rotate(90).flip(false);
            case 8 -> c.rotate(270);
            default -> c;
        };
        job.canvas = c;
        job.orientation = 1;
    }
}
