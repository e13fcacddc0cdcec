package io.imagescaler.handler.tracing;

import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps each request in its trace, its log context and its metrics: the handler calls {@link #serve} once
 * per request and everything inside can use {@link RequestTelemetry#current()}. At the end the request
 * is logged (one structured line) and measured (one EMF line).
 */
public final class Telemetry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Telemetry.class);

    private final Tracer tracer;
    private final Optional<EmbeddedMetrics> metrics;

    public Telemetry(Tracer tracer, Optional<EmbeddedMetrics> metrics) {
        this.tracer = tracer;
        this.metrics = metrics;
    }

    /** No trace and no metrics; requests are still logged. */
    public static Telemetry off() {
        return new Telemetry(new NoTracing(), Optional.empty());
    }

    /**
     * Runs one request.
     *
     * @param upstreamHeader the caller's {@code X-Amzn-Trace-Id}
     * @param statusOf       the HTTP status of the answer (a failure that escapes counts as 500)
     */
    public <T> T serve(String requestId, Optional<String> upstreamHeader, Supplier<T> work, ToIntFunction<T> statusOf) {
        RequestTelemetry request = new RequestTelemetry(requestId, tracer.begin(TracingConfig.SERVICE, upstreamHeader));
        return request.during(() -> {
            int status = 500;
            try {
                T answer = work.get();
                status = statusOf.applyAsInt(answer);
                return answer;
            } finally {
                finish(request.finish(status));
            }
        });
    }

    private void finish(RequestTelemetry.Summary r) {
        var line = (r.failed() ? LOG.atWarn() : LOG.atInfo())
                .addKeyValue("operation", r.operation())
                .addKeyValue("status", r.status())
                .addKeyValue("latencyMs", Math.round(r.latencyMillis() * 10) / 10.0)
                .addKeyValue("durationsMs", rounded(r.stageMillis()));
        if (r.transform().isPresent()) line = line.addKeyValue("transform", r.transform().get());
        if (r.cacheHit().isPresent()) line = line.addKeyValue("cache", r.cacheHit().get() ? "hit" : "miss");
        line.log("{} answered {} in {} ms", r.operation(), r.status(), String.format(java.util.Locale.ROOT, "%.1f",
                r.latencyMillis()));
        metrics.ifPresent(m -> m.emit(r));
    }

    private static java.util.Map<String, Double> rounded(java.util.Map<String, Double> millis) {
        java.util.Map<String, Double> out = new java.util.LinkedHashMap<>();
        millis.forEach((stage, ms) -> out.put(stage, Math.round(ms * 10) / 10.0));
        return out;
    }

    @Override
    public void close() throws Exception {
        tracer.close();
    }

    @Override
    public String toString() {
        return "tracing " + tracer + ", metrics " + metrics.map(Object::toString).orElse("off");
    }
}
