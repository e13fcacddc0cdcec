package io.imagescaler.handler.tracing;

/** One stage of a request, open until closed. Spans nest: open, do the work, close, in that order. */
public interface Span extends AutoCloseable {

    /** Marks the stage as failed (the exception still propagates; the span only records it). */
    void fail(Throwable failure);

    @Override
    void close();
}
