package io.imagescaler.handler.transform;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named stage durations in insertion order (fetch, decode, resize, encode, store ...), printed as a
 * {@code Server-Timing} header value. Not thread-safe: one per request.
 */
public final class StageTimings {
    private final Map<String, Double> millis = new LinkedHashMap<>();

    /** Adds (or accumulates) a stage's duration in milliseconds. */
    public StageTimings record(String stage, double ms) {
        millis.merge(stage, ms, Double::sum);
        return this;
    }

    /** Runs {@code work}, recording its duration under {@code stage}. */
    public <T> T time(String stage, java.util.function.Supplier<T> work) {
        long t0 = System.nanoTime();
        try {
            return work.get();
        } finally {
            record(stage, (System.nanoTime() - t0) / 1e6);
        }
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
