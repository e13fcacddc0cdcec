package io.imagescaler.handler.transform;

import io.imagescaler.spec.Position;
import org.bytedeco.opencv.opencv_core.Rect;

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
        if (job.cropWindow == null) {
            job.cropWindow = window(job, w, h, cw, ch);
        }
        job.pixels = job.pixels.apply(job.cropWindow).clone();
    }

    private static Rect window(RenderJob job, int w, int h, int cw, int ch) {
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
        return new Rect(x, y, cw, ch);
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(v, max));
    }
}
