package io.imagescaler.handler.transform.portable;

import io.imagescaler.spec.Position;

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
        int cw = job.geometry.canvasWidth();
        int ch = job.geometry.canvasHeight();
        int w = job.width();
        int h = job.height();
        if (cw >= w && ch >= h) {
            return;
        }
        cw = Math.min(cw, w);
        ch = Math.min(ch, h);
        int x;
        int y;
        switch (job.spec.position()) {
            case Position.Focal f -> {
                x = clamp((int) Math.round(f.x() * w - cw / 2.0), w - cw);
                y = clamp((int) Math.round(f.y() * h - ch / 2.0), h - ch);
            }
            case Position.Smart s -> {
                int[] at = Attention.bestWindow(job.pixels, cw, ch);
                x = at[0];
                y = at[1];
            }
            case Position.Compass c -> {
                String p = c.point().name();
                x = p.endsWith("W") ? 0 : p.endsWith("E") ? w - cw : (w - cw) / 2;
                y = p.startsWith("N") ? 0 : p.startsWith("S") ? h - ch : (h - ch) / 2;
            }
        }
        job.pixels = crop(job.pixels, x, y, cw, ch);
    }

    static Pixels crop(Pixels p, int x, int y, int cw, int ch) {
        int[] out = new int[cw * ch];
        for (int row = 0; row < ch; row++) {
            System.arraycopy(p.argb(), (y + row) * p.width() + x, out, row * cw, cw);
        }
        return new Pixels(cw, ch, out, p.alpha());
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(v, max));
    }
}
