package io.imagescaler.handler.transform;

/** {@code gray}: luma only; alpha is kept. */
final class Grayscale implements Step {

    @Override
    public String stage() {
        return "effects";
    }

    @Override
    public void apply(RenderJob job) {
        if (job.spec.gray()) {
            job.canvas = job.canvas.grayscale();
        }
    }
}
