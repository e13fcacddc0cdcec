package io.imagescaler.handler.transform.portable;

/**
 * The explicit {@code rot_}, {@code flip} (top to bottom) and {@code flop} (left to right), as sharp
 * names them; applied after resizing, so {@code w_}/{@code h_} refer to the upright original.
 */
final class RotateAndFlip implements Step {

    @Override
    public String stage() {
        return "resize";
    }

    @Override
    public void apply(RenderJob job) {
        Pixels p = job.pixels;
        // The EXIF orientations that are pure turns and mirrors: 6 = 90 cw, 3 = 180, 8 = 270 cw, 4 = flip, 2 = flop.
        p = switch (job.spec.rotate()) {
            case 90 -> Orient.orient(p, 6);
            case 180 -> Orient.orient(p, 3);
            case 270 -> Orient.orient(p, 8);
            default -> p;
        };
        if (job.spec.flip()) {
            p = Orient.orient(p, 4);
        }
        if (job.spec.flop()) {
            p = Orient.orient(p, 2);
        }
        job.pixels = p;
    }
}
