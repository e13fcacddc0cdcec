package io.imagescaler.handler.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The EMF lines against the embedded metric format specification. */
class EmbeddedMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchema EMF = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
            .getSchema(EmbeddedMetricsTest.class.getResourceAsStream("/tracing/emf-schema.json"));
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);

    private final List<String> lines = new ArrayList<>();
    private final EmbeddedMetrics metrics = new EmbeddedMetrics("ImageScaler", "image-handler", lines::add, CLOCK);

    @Test
    void aVariantMissIsOneLineOfValidEmfWithEveryMetric() throws Exception {
        metrics.emit(new RequestTelemetry.Summary("req-1", Optional.of("1-6b0443a7-6c574f52324692f16a6de36d"),
                "variant", Optional.of("img"), Optional.of("w_200.webp"), 200, 123.456, Optional.of(false), 1, 0,
                Map.of("decode", 10.0)));

        assertEquals(1, lines.size());
        assertFalse(lines.getFirst().contains("\n"), "one JSON object per line");
        JsonNode line = JSON.readTree(lines.getFirst());
        assertValidEmf(line);
        assertEquals(CLOCK.millis(), line.at("/_aws/Timestamp").asLong());
        JsonNode directive = line.at("/_aws/CloudWatchMetrics/0");
        assertEquals("ImageScaler", directive.get("Namespace").asText());
        assertEquals("[[\"Service\",\"Operation\"]]", directive.get("Dimensions").toString());
        assertEquals(Set.of("LatencyMs", "CacheHit", "VariantsGenerated", "SrCalls", "Errors"), names(directive));
        assertEquals("Milliseconds", unitOf(directive, "LatencyMs"));
        assertEquals("Count", unitOf(directive, "CacheHit"));
        assertEquals("image-handler", line.get("Service").asText());
        assertEquals("variant", line.get("Operation").asText());
        assertEquals(123.5, line.get("LatencyMs").asDouble());
        assertEquals(0, line.get("CacheHit").asInt());
        assertEquals(1, line.get("VariantsGenerated").asInt());
        assertEquals(0, line.get("Errors").asInt());
        assertEquals("1-6b0443a7-6c574f52324692f16a6de36d", line.get("traceId").asText());
        assertEquals("req-1", line.get("requestId").asText());
    }

    @Test
    void aRequestWithoutACacheDeclaresNoCacheHitAndAServerErrorCountsAsAnError() throws Exception {
        metrics.emit(new RequestTelemetry.Summary("req-2", Optional.empty(), "upload", Optional.empty(),
                Optional.empty(), 503, 5.0, Optional.empty(), 0, 0, Map.of()));

        JsonNode line = JSON.readTree(lines.getFirst());
        assertValidEmf(line);
        JsonNode directive = line.at("/_aws/CloudWatchMetrics/0");
        assertFalse(names(directive).contains("CacheHit"), "uploads are neither hits nor misses");
        assertFalse(line.has("CacheHit"));
        assertEquals(1, line.get("Errors").asInt());
        assertFalse(line.has("traceId"));
    }

    @Test
    void theSchemaRejectsWhatTheSpecificationForbids() throws Exception {
        // The check must be able to fail: a line without Timestamp, and one with an unknown unit.
        JsonNode noTimestamp = JSON.readTree("{\"_aws\":{\"CloudWatchMetrics\":[{\"Namespace\":\"N\","
                + "\"Dimensions\":[[\"A\"]],\"Metrics\":[{\"Name\":\"M\"}]}]},\"A\":\"a\",\"M\":1}");
        JsonNode badUnit = JSON.readTree("{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"N\","
                + "\"Dimensions\":[[\"A\"]],\"Metrics\":[{\"Name\":\"M\",\"Unit\":\"ms\"}]}]},\"A\":\"a\",\"M\":1}");
        assertFalse(EMF.validate(noTimestamp).isEmpty());
        assertFalse(EMF.validate(badUnit).isEmpty());
    }

    /** The schema, plus the target-member rules: every dimension a string at the root, every metric a number. */
    private static void assertValidEmf(JsonNode line) {
        assertEquals(Set.of(), EMF.validate(line), line::toString);
        for (JsonNode directive : line.at("/_aws/CloudWatchMetrics")) {
            for (JsonNode set : directive.get("Dimensions")) {
                for (JsonNode dimension : set) {
                    assertTrue(line.path(dimension.asText()).isTextual(), "dimension " + dimension + " in " + line);
                }
            }
            for (JsonNode metric : directive.get("Metrics")) {
                assertTrue(line.path(metric.get("Name").asText()).isNumber(), "metric " + metric + " in " + line);
            }
        }
    }

    private static Set<String> names(JsonNode directive) {
        Set<String> names = new TreeSet<>();
        directive.get("Metrics").forEach(m -> names.add(m.get("Name").asText()));
        return names;
    }

    private static String unitOf(JsonNode directive, String name) {
        for (JsonNode m : directive.get("Metrics")) {
            if (m.get("Name").asText().equals(name)) return m.get("Unit").asText();
        }
        throw new AssertionError("no metric " + name);
    }
}
