package io.imagescaler.handler.tracing;

import java.util.Optional;

/** One request's trace: named spans for its stages, and searchable annotations on the request itself. */
public interface Trace {

    /** Opens a span for a stage (S3 calls made inside it nest under it); close it when the stage ends. */
    Span open(String stage);

    /** Annotations are indexed by the backend: keep keys to letters, digits and underscores. */
    void annotate(String key, String value);

    void annotate(String key, boolean value);

    /** The trace id as the backend spells it, when there is a trace (for logs). */
    Optional<String> traceId();

    /** Ends the request's trace with its HTTP status (4xx is an error, 5xx a fault). */
    void end(int status);
}
