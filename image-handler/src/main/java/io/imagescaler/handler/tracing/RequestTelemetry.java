package io.imagescaler.handler.tracing;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * What one request tells operators: its trace (stages as spans, the image, the transform, cache hit or
 * miss as annotations) and the facts its log line and metrics report. The core reaches it through
 * {@link #current()}, a scoped value bound for the request, so the transform engine's signatures stay
 * free of it (OpenTelemetry's {@code Context.current()} works the same way). Outside a request (start-up
 * priming, background work) {@code current()} is a detached instance that records nothing.
 * One request runs on one thread; this class is not thread-safe.
 */
public final class RequestTelemetry {
    private static final ScopedValue<RequestTelemetry> CURRENT = ScopedValue.newInstance();
    private static final RequestTelemetry DETACHED = new RequestTelemetry("-", NoTracing.TRACE, false);

    static final String MDC_REQUEST = "requestId";
    static final String MDC_TRACE = "traceId";
    static final String MDC_IMAGE = "imageId";

    private final String requestId;
    private final Trace trace;
    private final boolean attached;
    private final long startNanos = System.nanoTime();
    private final Map<String, Double> stageMillis = new LinkedHashMap<>();
    private String operation = "other";
    private String imageId;
    private String transform;
    private Boolean cacheHit;
    private int variantsGenerated;
    private int srCalls;

    RequestTelemetry(String requestId, Trace trace) {
        this(requestId, trace, true);
    }

    private RequestTelemetry(String requestId, Trace trace, boolean attached) {
        this.requestId = requestId;
        this.trace = trace;
        this.attached = attached;
    }

    /** The request this thread is serving, or a detached instance that records nothing. */
    public static RequestTelemetry current() {
        return CURRENT.isBound() ? CURRENT.get() : DETACHED;
    }

    /** Runs the request's work with this as {@link #current()} and its ids in the logging MDC. */
    <T> T during(Supplier<T> work) {
        MDC.put(MDC_REQUEST, requestId);
        trace.traceId().ifPresent(id -> MDC.put(MDC_TRACE, id));
        try {
            return ScopedValue.where(CURRENT, this).call(work::get);
        } finally {
            MDC.remove(MDC_REQUEST);
            MDC.remove(MDC_TRACE);
            MDC.remove(MDC_IMAGE);
        }
    }

    /**
     * Opens a span for a stage; its duration also goes to the request's log line. Stages are the ones
     * {@code Server-Timing} names (see {@code transform.StageTimings}, the one place that opens them).
     */
    public Span stage(String name) {
        Span span = trace.open(name);
        long t0 = System.nanoTime();
        return new Span() {
            @Override
            public void fail(Throwable failure) {
                span.fail(failure);
            }

            @Override
            public void close() {
                span.close();
                if (attached) {
                    stageMillis.merge(name, (System.nanoTime() - t0) / 1e6, Double::sum);
                }
            }
        };
    }

    /** Which use case the request is (the metrics' {@code Operation} dimension): variant, original, upload ... */
    /**
     * How long this request has run; empty outside a request. The SDK clients' deadline check reads it
     * (AWS calls stop being started once a request has used its time budget).
     */
    public Optional<java.time.Duration> elapsed() {
        return attached ? Optional.of(java.time.Duration.ofNanos(System.nanoTime() - startNanos)) : Optional.empty();
    }

    public void operation(String name) {
        if (attached) operation = name;
    }

    public void image(String id) {
        if (!attached) return;
        imageId = id;
        trace.annotate("image_id", id);
        MDC.put(MDC_IMAGE, id);
    }

    /** The canonical transform and format, e.g. {@code w_800,fit_cover.webp}. */
    public void transform(String canonical) {
        if (!attached) return;
        transform = canonical;
        trace.annotate("transform", canonical);
    }

    public void cache(boolean hit) {
        if (!attached) return;
        cacheHit = hit;
        trace.annotate("cache", hit ? "hit" : "miss");
    }

    public void variantGenerated() {
        if (attached) variantsGenerated++;
    }

    public void srCall() {
        if (attached) srCalls++;
    }

    /** Ends the trace and sums the request up for its log line and metrics. */
    Summary finish(int status) {
        trace.end(status);
        return new Summary(requestId, trace.traceId(), operation, Optional.ofNullable(imageId),
                Optional.ofNullable(transform), status, (System.nanoTime() - startNanos) / 1e6,
                Optional.ofNullable(cacheHit), variantsGenerated, srCalls,
                Collections.unmodifiableMap(new LinkedHashMap<>(stageMillis)));
    }

    /**
     * One request, summed up.
     *
     * @param stageMillis time per stage; nested stages (the S3 call inside {@code fetch}, a render inside
     *                    {@code sr-prepare}) are counted in each
     */
    public record Summary(String requestId, Optional<String> traceId, String operation, Optional<String> imageId,
                          Optional<String> transform, int status, double latencyMillis, Optional<Boolean> cacheHit,
                          int variantsGenerated, int srCalls, Map<String, Double> stageMillis) {
        public boolean failed() {
            return status >= 500;
        }
    }
}
