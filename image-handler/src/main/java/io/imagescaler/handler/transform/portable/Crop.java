package io.imagescaler.handler.transform.portable;

import io.imagescaler.handler.transform.CropWindow;

/**
 * Cuts the resized image down to the canvas ({@code cover}), anchored at a compass point, a focal
 * point, or the most detailed window ({@code pos_smart}, see {@link Attention}).
 */
final class Crop implements Step {

    @Override
    public String stage() {
        return "resize";
    }

    @Override
    public void apply(RenderJob job) {
        CropWindow at = CropWindow.of(job.spec.position(), job.width(), job.height(), job.geometry.canvasWidth(),
                job.geometry.canvasHeight(), (cw, ch) -> Attention.bestWindow(job.pixels, cw, ch));
        if (at != null) {
            job.pixels = crop(job.pixels, at.x(), at.y(), at.width(), at.height());
        }
    }

    static Pixels crop(Pixels p, int x, int y, int cw, int ch) {
        int[] out = new int[cw * ch];
        for (int row = 0; row < ch; row++) {
            System.arraycopy(p.argb(), (y + row) * p.width() + x, out, row * cw, cw);
        }
        return new Pixels(cw, ch, out, p.alpha());
    }
}
