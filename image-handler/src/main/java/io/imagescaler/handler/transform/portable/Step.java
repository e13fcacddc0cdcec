package io.imagescaler.handler.transform.portable;

/** One small stage of the {@link PortablePipeline}; it reads and updates the request's {@link RenderJob}. */
interface Step {

    /** The stage name reported in Server-Timing (the native pipeline's names). */
    String stage();

    void apply(RenderJob job);
}
