package io.imagescaler.handler.transform;

/**
 * One small stage of the {@link Pipeline}: it reads the request's {@link RenderJob}, decides, and asks
 * the job's {@link Canvas} for the pixel work.
 */
interface Step {

    /** The stage name reported in Server-Timing and the trace (several steps may share one, e.g. "resize"). */
    String stage();

    void apply(RenderJob job);
}
