package io.imagescaler.handler.tracing;

import java.util.Optional;

/**
 * The tracing port: where a request's trace begins. The core only ever sees {@link Trace} and {@link Span};
 * which backend records them (X-Ray today, OpenTelemetry later, nothing when tracing is off) is the
 * adapter's business, chosen once by the wiring.
 */
public interface Tracer extends AutoCloseable {

    /**
     * Begins the trace of one request.
     *
     * @param name           the service's name in the trace (e.g. {@code image-handler})
     * @param upstreamHeader the {@code X-Amzn-Trace-Id} value the caller sent (API Gateway, the local edge),
     *                       so this request's spans join the caller's trace
     */
    Trace begin(String name, Optional<String> upstreamHeader);

    @Override
    default void close() {
    }
}
