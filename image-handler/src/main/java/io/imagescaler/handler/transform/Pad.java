package io.imagescaler.handler.transform;

/** Centres the resized image on the canvas ({@code contain}), filling with the background colour. */
final class Pad implements Step {

    @Override
    public String stage() {
        return "resize";
    }

    @Override
    public void apply(RenderJob job) {
        Canvas c = job.canvas;
        int cw = job.geometry.canvasWidth();
        int ch = job.geometry.canvasHeight();
        if (cw <= c.width() && ch <= c.height()) {
            return;
        }
        Background bg = Background.of(job.spec.background(), job.outputKeepsAlpha());
        job.canvas = c.embed((cw - c.width()) / 2, (ch - c.height()) / 2, cw, ch, bg);
    }
}
