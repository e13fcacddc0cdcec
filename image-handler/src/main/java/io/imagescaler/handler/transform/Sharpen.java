package io.imagescaler.handler.transform;

/** Unsharp mask (about one pixel) with the {@code sharpen_} amount. */
final class Sharpen implements Step {

    @Override
    public String stage() {
        return "effects";
    }

    @Override
    public void apply(RenderJob job) {
        if (job.spec.sharpen() > 0) {
            job.canvas = job.canvas.sharpen(job.spec.sharpen());
        }
    }
}
