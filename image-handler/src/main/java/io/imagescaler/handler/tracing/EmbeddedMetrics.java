package io.imagescaler.handler.tracing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * Request metrics as CloudWatch Embedded Metric Format: one JSON line per request on stdout, from which
 * CloudWatch Logs extracts the metrics (no PutMetricData call, nothing on the request's path but a print).
 * The {@code _aws} block declares the namespace, the dimension set and each metric's unit; the values sit
 * at the top level beside the dimensions and a few searchable properties (request, trace and image ids).
 */
public final class EmbeddedMetrics {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String namespace;
    private final String service;
    private final Consumer<String> out;
    private final Clock clock;
    /** The transform engine serving ("libvips" or "java"), when known. */
    private final String engine;

    /**
     * @param namespace the CloudWatch namespace (e.g. {@code ImageScaler})
     * @param service   the {@code Service} dimension
     * @param out       where each line goes (stdout on Lambda)
     */
    public EmbeddedMetrics(String namespace, String service, Consumer<String> out, Clock clock) {
        this(namespace, service, out, clock, null);
    }

    /** @param engine the transform engine serving: a property on every line and the FallbackEngine metric */
    public EmbeddedMetrics(String namespace, String service, Consumer<String> out, Clock clock, String engine) {
        this.engine = engine;
        this.namespace = namespace;
        this.service = service;
        this.out = out;
        this.clock = clock;
    }

    public void emit(RequestTelemetry.Summary request) {
        out.accept(line(request));
    }

    String line(RequestTelemetry.Summary r) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", namespace);
        directive.putArray("Dimensions").addArray().add("Service").add("Operation");
        ArrayNode metrics = directive.putArray("Metrics");

        root.put("Service", service);
        root.put("Operation", r.operation());
        metric(metrics, "LatencyMs", "Milliseconds");
        root.put("LatencyMs", Math.round(r.latencyMillis() * 10) / 10.0);
        // Only where the request had a cache to hit: otherwise the average would count uploads as misses.
        r.cacheHit().ifPresent(hit -> {
            metric(metrics, "CacheHit", "Count");
            root.put("CacheHit", hit ? 1 : 0);
        });
        metric(metrics, "VariantsGenerated", "Count");
        root.put("VariantsGenerated", r.variantsGenerated());
        metric(metrics, "SrCalls", "Count");
        root.put("SrCalls", r.srCalls());
        metric(metrics, "Errors", "Count");
        root.put("Errors", r.failed() ? 1 : 0);
        if (engine != null) {
            // 1 while the pure-Java fallback serves: an alarm on it catches a package whose libvips broke
            metric(metrics, "FallbackEngine", "Count");
            root.put("FallbackEngine", engine.equals("libvips") ? 0 : 1);
            root.put("engine", engine);
        }

        root.put("status", r.status());
        root.put("requestId", r.requestId());
        r.traceId().ifPresent(id -> root.put("traceId", id));
        r.imageId().ifPresent(id -> root.put("imageId", id));
        r.transform().ifPresent(t -> root.put("transform", t));
        return root.toString();
    }

    private static void metric(ArrayNode metrics, String name, String unit) {
        metrics.addObject().put("Name", name).put("Unit", unit);
    }

    @Override
    public String toString() {
        return "EMF namespace " + namespace;
    }
}
