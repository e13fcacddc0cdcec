package io.imagescaler.handler.transform;

/** Gaussian blur with the {@code blur_} sigma, in output pixels. */
final class Blur implements Step {

    @Override
    public String stage() {
        return "effects";
    }

    @Override
    public void apply(RenderJob job) {
        if (job.spec.blur() > 0) {
            job.canvas = job.canvas.blur(job.spec.blur());
        }
    }
}
