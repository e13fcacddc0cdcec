package io.imagescaler.handler.transform;

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
        Canvas c = job.canvas;
        if (job.spec.rotate() != 0) {
            c = c.rotate(job.spec.rotate());
        }
        if (job.spec.flip()) {
            c = c.flip(false);
        }
        if (job.spec.flop()) {
            c = c.flip(true);
        }
        job.canvas = c;
    }
}
