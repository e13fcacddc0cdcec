package io.imagescaler.handler.transform;

import io.imagescaler.handler.tracing.RequestTelemetry;
import io.imagescaler.handler.tracing.Span;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named stage durations in insertion order (fetch, decode, resize, encode, store ...), printed as a
 * {@code Server-Timing} header value. {@link #time} is the one place where a stage is measured: it also
 * opens the stage's span in the request's trace, so Server-Timing and the trace name the same stages.
 * Not thread-safe: one per request.
 */
public final class StageTimings {
    private final Map<String, Double> millis = new LinkedHashMap<>();

    /** Adds (or accumulates) a stage's duration in milliseconds. */
    public StageTimings record(String stage, double ms) {
        millis.merge(stage, ms, Double::sum);
        return this;
    }

    /** Runs {@code work}, recording its duration under {@code stage} and tracing it as a span of that name. */
    public <T> T time(String stage, java.util.function.Supplier<T> work) {
        long t0 = System.nanoTime();
        try (Span span = RequestTelemetry.current().stage(stage)) {
            try {
                return work.get();
            } catch (RuntimeException | Error e) {
                span.fail(e);
                throw e;
            }
        } finally {
            record(stage, (System.nanoTime() - t0) / 1e6);
        }
    }

    /** {@link #time(String, java.util.function.Supplier)} for work without a result. */
    public void time(String stage, Runnable work) {
        time(stage, () -> {
            work.run();
            return null;
        });
    }

    public StageTimings addAll(StageTimings other) {
        other.millis.forEach(this::record);
        return this;
    }

    public Map<String, Double> asMap() {
        return Map.copyOf(millis);
    }

    /** e.g. {@code fetch;dur=3.1, decode;dur=20.4} */
    public String serverTiming() {
        StringBuilder sb = new StringBuilder();
        millis.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append(";dur=")
                .append(String.format(java.util.Locale.ROOT, "%.1f", v)));
        return sb.toString();
    }
}
