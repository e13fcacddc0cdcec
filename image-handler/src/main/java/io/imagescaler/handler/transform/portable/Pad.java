package io.imagescaler.handler.transform.portable;

import io.imagescaler.handler.transform.Background;

/** Centres the resized image on the canvas ({@code contain}), filling with the background colour. */
final class Pad implements Step {

    @Override
    public String stage() {
        return "resize";
    }

    @Override
    public void apply(RenderJob job) {
        int cw = job.geometry.canvasWidth();
        int ch = job.geometry.canvasHeight();
        if (cw <= job.width() && ch <= job.height()) {
            return;
        }
        Background bg = Background.of(job.spec.background(), job.outputKeepsAlpha());
        Pixels p = job.pixels;
        // A see-through background gives an opaque image an alpha channel, as the native step does.
        boolean alpha = p.alpha() || !bg.opaque();
        int[] out = new int[cw * ch];
        java.util.Arrays.fill(out, Pixels.pack(bg.a(), bg.r(), bg.g(), bg.b()));
        int left = (cw - p.width()) / 2;
        int top = (ch - p.height()) / 2;
        for (int row = 0; row < p.height(); row++) {
            System.arraycopy(p.argb(), row * p.width(), out, (top + row) * cw + left, p.width());
        }
        job.pixels = new Pixels(cw, ch, out, alpha);
    }
}
