package io.imagescaler.handler.transform;

/** One small stage of the {@link Pipeline}; it reads and updates the request's {@link RenderJob}. */
interface Step {

    /** The stage name reported in Server-Timing (several steps may share one, e.g. "resize"). */
    String stage();

    void apply(RenderJob job);
}
