package io.imagescaler.handler.transform;

/**
 * Resizes to the planned size, before the image is turned upright (orientations 5 to 8 swap the target's
 * sides), so rotating costs output pixels only. The backend reduces with a box shrink then a Lanczos3
 * reduce, enlarges with Lanczos3, and premultiplies alpha so transparent pixels' colours do not bleed.
 */
final class Resize implements Step {

    @Override
    public String stage() {
        return "resize";
    }

    @Override
    public void apply(RenderJob job) {
        boolean swapped = job.orientation >= 5;
        int w = swapped ? job.geometry.scaledHeight() : job.geometry.scaledWidth();
        int h = swapped ? job.geometry.scaledWidth() : job.geometry.scaledHeight();
        if (job.canvas.width() != w || job.canvas.height() != h) {
            job.canvas = job.canvas.resize(w, h);
        }
    }
}
