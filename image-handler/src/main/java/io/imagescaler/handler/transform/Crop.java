package io.imagescaler.handler.transform;

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
        if (job.cropWindow == null) {
            job.cropWindow = CropWindow.of(job.spec.position(), job.width(), job.height(),
                    job.geometry.canvasWidth(), job.geometry.canvasHeight(),
                    (cw, ch) -> Attention.bestWindow(job.pixels, cw, ch));
        }
        CropWindow at = job.cropWindow;
        if (at != null) {
            job.pixels = job.pixels.apply(new Rect(at.x(), at.y(), at.width(), at.height())).clone();
        }
    }
}
