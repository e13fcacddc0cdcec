package io.imagescaler.handler.transform;

/**
 * Composites transparent pixels over the background when the output cannot carry alpha (JPEG) or an
 * opaque {@code bg_} colour was asked for. Opaque images are left alone.
 */
final class Flatten implements Step {

    @Override
    public String stage() {
        return "effects";
    }

    @Override
    public void apply(RenderJob job) {
        if (job.canvas.hasAlpha() && Background.replacesAlpha(job.spec.background(), job.outputKeepsAlpha())) {
            job.canvas = job.canvas.flatten(Background.of(job.spec.background(), job.outputKeepsAlpha()));
        }
    }
}
