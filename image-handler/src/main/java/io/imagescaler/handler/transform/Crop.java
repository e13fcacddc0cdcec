package io.imagescaler.handler.transform;

/**
 * Cuts the resized image down to the canvas ({@code cover}), anchored at a compass point, a focal
 * point, or the most interesting window ({@code pos_smart}: the backend's attention measure).
 */
final class Crop implements Step {

    @Override
    public String stage() {
        return "resize";
    }

    @Override
    public void apply(RenderJob job) {
        Canvas c = job.canvas;
        if (job.cropWindow == null) {
            job.cropWindow = CropWindow.of(job.spec.position(), c.width(), c.height(),
                    job.geometry.canvasWidth(), job.geometry.canvasHeight(), c::mostInteresting);
        }
        if (job.cropWindow != null) {
            job.canvas = c.crop(job.cropWindow);
        }
    }
}
