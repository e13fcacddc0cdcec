package io.imagescaler.edge.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The daemon stand-in: what it accepts over UDP, what it refuses, how much it keeps. */
class TraceCollectorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEADER = "{\"format\": \"json\", \"version\": 1}\n";

    @Test
    void keepsDaemonProtocolDocumentsGroupedByTraceAndRefusesAnythingElse() throws Exception {
        try (TraceCollector collector = TraceCollector.start(0, 10); DatagramSocket client = new DatagramSocket()) {
            send(client, collector, HEADER + segment("1-6b0443a7-000000000000000000000001", "a1", "image-handler", 1.0, 1.25));
            send(client, collector, HEADER + segment("1-6b0443a7-000000000000000000000001", "e1", "local-edge", 0.9, 1.3));
            send(client, collector, "{\"format\": \"xml\", \"version\": 1}\n" + segment("1-6b0443a7-0000000000000000000000ff", "x", "x", 1, 2));
            send(client, collector, segment("1-6b0443a7-0000000000000000000000fe", "y", "y", 1, 2));
            send(client, collector, HEADER + "{\"name\":\"no trace id\"}");

            JsonNode trace = await(collector, 1);
            assertEquals("1-6b0443a7-000000000000000000000001", trace.get("traceId").asText());
            assertEquals(List.of("local-edge", "image-handler"), names(trace.get("segments")), "by start time");
            assertEquals(250.0, trace.at("/segments/1/durationMs").asDouble(), 0.001);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (collector.rejected() < 3 && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(3, collector.rejected());
            assertEquals(1, collector.view().get("traces").size());
        }
    }

    @Test
    void keepsOnlyTheMostRecentTraces() throws Exception {
        try (TraceCollector collector = TraceCollector.start(0, 2)) {
            for (int i = 1; i <= 3; i++) {
                collector.accept(JSON.readTree(segment("1-6b0443a7-00000000000000000000000" + i,
                        "s" + i, "image-handler", i, i + 1)));
            }
            JsonNode traces = collector.view().get("traces");
            assertEquals(2, traces.size());
            assertEquals("1-6b0443a7-000000000000000000000003", traces.get(0).get("traceId").asText(), "newest first");
            assertEquals("1-6b0443a7-000000000000000000000002", traces.get(1).get("traceId").asText());
        }
    }

    private static String segment(String traceId, String id, String name, double start, double end) {
        return "{\"trace_id\":\"" + traceId + "\",\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"start_time\":"
                + start + ",\"end_time\":" + end + "}";
    }

    private static void send(DatagramSocket client, TraceCollector collector, String datagram) throws Exception {
        byte[] bytes = datagram.getBytes(StandardCharsets.UTF_8);
        client.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), collector.port()));
    }

    private static JsonNode await(TraceCollector collector, int segments) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            JsonNode traces = collector.view().get("traces");
            for (JsonNode t : traces) {
                if (t.get("segments").size() > segments) return t;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("segments did not arrive: " + collector.view());
    }

    private static List<String> names(JsonNode entities) {
        List<String> names = new ArrayList<>();
        entities.forEach(e -> names.add(e.get("name").asText()));
        return names;
    }
}
