package io.imagescaler.handler.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.handler.tracing.aws.XRayTracer;
import io.imagescaler.handler.transform.StageTimings;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * One request through {@link Telemetry}: the stages that {@link StageTimings} measures for Server-Timing are the
 * spans of the trace, and the request's facts reach its annotations and its EMF line.
 */
class TelemetryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DatagramSocket daemon;
    private final List<String> emf = new ArrayList<>();
    private Telemetry telemetry;

    @BeforeEach
    void start() throws Exception {
        daemon = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        daemon.setSoTimeout(5000);
        telemetry = new Telemetry(XRayTracer.toDaemon("127.0.0.1:" + daemon.getLocalPort(), false),
                Optional.of(new EmbeddedMetrics("ImageScaler", "image-handler", emf::add, Clock.systemUTC())));
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    @Test
    void serverTimingAndTheTraceNameTheSameStages() throws Exception {
        StageTimings timings = telemetry.serve("req-1", Optional.empty(), () -> {
            RequestTelemetry request = RequestTelemetry.current();
            request.operation("variant");
            request.image("img-1");
            request.transform("w_200.webp");
            assertEquals("img-1", MDC.get("imageId"), "the log context carries the image");
            assertTrue(MDC.get("traceId").startsWith("1-"));
            StageTimings t = new StageTimings();
            t.time("cache", () -> "absent");
            request.cache(false);
            t.time("decode", () -> sleep(5));
            t.time("encode", () -> sleep(1));
            request.variantGenerated();
            return t;
        }, t -> 200);

        JsonNode segment = JSON.readTree(receive().split("\n", 2)[1]);
        List<String> spans = new ArrayList<>();
        segment.get("subsegments").forEach(s -> spans.add(s.get("name").asText()));
        assertEquals(List.of("cache", "decode", "encode"), spans);
        assertEquals(List.of("cache", "decode", "encode"), List.copyOf(stagesOf(timings.serverTiming())));
        assertEquals("miss", segment.at("/annotations/cache").asText());
        assertEquals("img-1", segment.at("/annotations/image_id").asText());
        assertEquals("w_200.webp", segment.at("/annotations/transform").asText());
        double decodeSpan = (segment.at("/subsegments/1/end_time").asDouble()
                - segment.at("/subsegments/1/start_time").asDouble()) * 1000;
        assertTrue(decodeSpan >= 4, "the span lasted the stage: " + decodeSpan);

        JsonNode line = JSON.readTree(emf.getFirst());
        assertEquals(segment.get("trace_id").asText(), line.get("traceId").asText());
        assertEquals(0, line.get("CacheHit").asInt());
        assertEquals(1, line.get("VariantsGenerated").asInt());
        assertEquals("variant", line.get("Operation").asText());
        assertEquals(null, MDC.get("imageId"), "the log context is cleared after the request");
    }

    @Test
    void aFailureThatEscapesIsAFaultAndAnError() throws Exception {
        assertThrows(IllegalStateException.class, () -> telemetry.serve("req-2", Optional.empty(), () -> {
            new StageTimings().time("fetch", () -> {
                throw new IllegalStateException("boom");
            });
            return "never";
        }, s -> 200));
        JsonNode segment = JSON.readTree(receive().split("\n", 2)[1]);
        assertTrue(segment.path("fault").asBoolean());
        assertEquals(500, segment.at("/http/response/status").asInt());
        assertEquals("boom", segment.at("/subsegments/0/cause/exceptions/0/message").asText());
        assertEquals(1, JSON.readTree(emf.getFirst()).get("Errors").asInt());
    }

    @Test
    void outsideARequestStagesAreTimedButNothingIsTraced() {
        RequestTelemetry detached = RequestTelemetry.current();
        assertSame(detached, RequestTelemetry.current());
        detached.image("ignored");
        StageTimings t = new StageTimings();
        assertEquals("ok", t.time("decode", () -> "ok"));
        assertTrue(t.serverTiming().startsWith("decode;dur="));
        assertEquals(null, MDC.get("imageId"));
    }

    private static List<String> stagesOf(String serverTiming) {
        List<String> names = new ArrayList<>();
        for (String part : serverTiming.split(",\\s*")) names.add(part.substring(0, part.indexOf(';')));
        return names;
    }

    private static Object sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private String receive() throws Exception {
        byte[] buffer = new byte[65536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        daemon.receive(packet);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
    }
}
