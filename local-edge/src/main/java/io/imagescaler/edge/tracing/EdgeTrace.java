package io.imagescaler.edge.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * The edge's own segment for one request, as API Gateway records one when its tracing is on: it starts the
 * trace, hands the handler {@code X-Amzn-Trace-Id} (Root, Parent = this segment, Sampled=1) so the handler's
 * segment joins it, and records what the edge did itself (the generated-bucket lookup, a cache hit that
 * never reaches the handler). Not thread-safe: one per request.
 */
public final class EdgeTrace {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final String NAME = "local-edge";

    private final String traceId;
    private final String segmentId = hex(8);
    private final double start = now();
    private final ObjectNode annotations = JSON.createObjectNode();
    private final com.fasterxml.jackson.databind.node.ArrayNode subsegments = JSON.createArrayNode();

    private EdgeTrace(String traceId) {
        this.traceId = traceId;
    }

    /** A new trace: {@code 1-<epoch seconds, 8 hex>-<96 random bits, 24 hex>}, X-Ray's trace id format. */
    public static EdgeTrace begin() {
        return new EdgeTrace("1-%08x-%s".formatted(System.currentTimeMillis() / 1000, hex(12)));
    }

    public String traceId() {
        return traceId;
    }

    /** What the handler gets as {@code X-Amzn-Trace-Id}. */
    public String downstreamHeader() {
        return "Root=" + traceId + ";Parent=" + segmentId + ";Sampled=1";
    }

    public void annotate(String key, String value) {
        annotations.put(key, value);
    }

    /** Runs {@code work} as a subsegment of the edge's segment. */
    public <T> T subsegment(String name, Supplier<T> work) {
        double t0 = now();
        try {
            return work.get();
        } finally {
            subsegments.addObject().put("name", name).put("id", hex(8)).put("start_time", t0).put("end_time", now());
        }
    }

    /** The finished segment document, shaped as the X-Ray SDKs send theirs. */
    public JsonNode end(String method, String url, int status) {
        ObjectNode segment = JSON.createObjectNode()
                .put("name", NAME).put("id", segmentId).put("trace_id", traceId)
                .put("start_time", start).put("end_time", now());
        ObjectNode http = segment.putObject("http");
        http.putObject("request").put("method", method).put("url", url);
        http.putObject("response").put("status", status);
        if (status >= 500) segment.put("fault", true);
        else if (status >= 400) segment.put("error", true);
        if (!annotations.isEmpty()) segment.set("annotations", annotations);
        if (!subsegments.isEmpty()) segment.set("subsegments", subsegments);
        return segment;
    }

    private static double now() {
        java.time.Instant t = java.time.Instant.now();
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
