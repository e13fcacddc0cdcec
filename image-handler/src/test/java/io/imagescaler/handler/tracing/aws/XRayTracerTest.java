package io.imagescaler.handler.tracing.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.handler.tracing.Span;
import io.imagescaler.handler.tracing.Trace;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The X-Ray adapter against a UDP socket playing the daemon: what goes over the wire, in the daemon's protocol. */
class XRayTracerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOT = "1-6b0443a7-6c574f52324692f16a6de36d";

    private DatagramSocket daemon;
    private XRayTracer tracer;

    @BeforeEach
    void start() throws Exception {
        daemon = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        daemon.setSoTimeout(5000);
        tracer = XRayTracer.toDaemon("127.0.0.1:" + daemon.getLocalPort(), false);
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    @Test
    void aRequestIsOneSegmentInTheCallersTraceWithItsStagesAndAnnotations() throws Exception {
        Trace trace = tracer.begin("image-handler", Optional.of("Root=" + ROOT + ";Parent=53995c3f42cd8ad8;Sampled=1"));
        assertEquals(Optional.of(ROOT), trace.traceId());
        trace.annotate("image_id", "abc");
        trace.annotate("cache", "miss");
        trace.annotate("flagged", false);
        try (Span decode = trace.open("decode")) {
            decode.hashCode();
        }
        try (Span store = trace.open("store")) {
            try (Span inner = trace.open("S3")) {
                inner.hashCode();
            }
        }
        trace.end(200);

        String datagram = receive();
        String[] parts = datagram.split("\n", 2);
        JsonNode header = JSON.readTree(parts[0]);
        assertEquals("json", header.get("format").asText());
        assertEquals(1, header.get("version").asInt());
        JsonNode segment = JSON.readTree(parts[1]);
        assertEquals("image-handler", segment.get("name").asText());
        assertEquals(ROOT, segment.get("trace_id").asText());
        assertEquals("53995c3f42cd8ad8", segment.get("parent_id").asText());
        assertEquals("abc", segment.at("/annotations/image_id").asText());
        assertEquals("miss", segment.at("/annotations/cache").asText());
        assertFalse(segment.at("/annotations/flagged").asBoolean(true));
        assertEquals(200, segment.at("/http/response/status").asInt());
        assertEquals(List.of("decode", "store"), names(segment.get("subsegments")));
        assertEquals(List.of("S3"), names(segment.at("/subsegments/1/subsegments")),
                "spans nest: a span opened inside another is its child");
        assertTrue(segment.get("end_time").asDouble() >= segment.get("start_time").asDouble());
        // No plugin ran: nothing describes an EC2 instance, ECS container or Beanstalk environment.
        assertTrue(segment.path("aws").path("ec2").isMissingNode(), segment::toString);
        assertTrue(segment.path("aws").path("ecs").isMissingNode(), segment::toString);
    }

    @Test
    void withoutATraceHeaderARequestStartsItsOwnTrace() throws Exception {
        Trace trace = tracer.begin("image-handler", Optional.empty());
        String id = trace.traceId().orElseThrow();
        assertTrue(id.matches("1-[0-9a-f]{8}-[0-9a-f]{24}"), id);
        trace.end(204);
        JsonNode segment = JSON.readTree(receive().split("\n", 2)[1]);
        assertEquals(id, segment.get("trace_id").asText());
        assertFalse(segment.has("parent_id"));
    }

    @Test
    void failuresAreMarkedErrorForClientsAndFaultForTheServer() throws Exception {
        Trace clientError = tracer.begin("image-handler", Optional.empty());
        clientError.end(404);
        JsonNode notFound = JSON.readTree(receive().split("\n", 2)[1]);
        assertTrue(notFound.path("error").asBoolean());
        assertFalse(notFound.path("fault").asBoolean());

        Trace serverError = tracer.begin("image-handler", Optional.empty());
        Span failing = serverError.open("fetch");
        failing.fail(new IllegalStateException("S3 said no"));
        failing.close();
        serverError.end(502);
        JsonNode bad = JSON.readTree(receive().split("\n", 2)[1]);
        assertTrue(bad.path("fault").asBoolean());
        JsonNode fetch = bad.at("/subsegments/0");
        assertEquals("fetch", fetch.get("name").asText());
        assertEquals("S3 said no", fetch.at("/cause/exceptions/0/message").asText(), fetch::toString);
    }

    @Test
    void aRequestTheCallerDidNotSampleSendsNothing() throws Exception {
        Trace trace = tracer.begin("image-handler", Optional.of("Root=" + ROOT + ";Parent=53995c3f42cd8ad8;Sampled=0"));
        trace.open("decode").close();
        trace.end(200);
        daemon.setSoTimeout(500);
        assertThrows(SocketTimeoutException.class, this::receive);
    }

    @Test
    void insideLambdaARequestIsASubsegmentOfLambdasSegment() throws Exception {
        // The Lambda runtime hands each invocation's trace header over in this system property.
        String property = "com.amazonaws.xray.traceHeader";
        String before = System.getProperty(property);
        System.setProperty(property, "Root=" + ROOT + ";Parent=a1b2c3d4e5f60718;Sampled=1");
        try {
            XRayTracer lambda = XRayTracer.toDaemon("127.0.0.1:" + daemon.getLocalPort(), true);
            Trace trace = lambda.begin("image-handler", Optional.empty());
            assertEquals(Optional.of(ROOT), trace.traceId());
            trace.annotate("image_id", "abc");
            trace.open("decode").close();
            trace.end(200);

            JsonNode handler = null;
            for (int i = 0; i < 4 && handler == null; i++) {
                JsonNode document = JSON.readTree(receive().split("\n", 2)[1]);
                if (document.get("name").asText().equals("image-handler")) handler = document;
            }
            assertTrue(handler != null, "the request's subsegment was sent");
            assertEquals("subsegment", handler.get("type").asText(), "sent on its own, as Lambda's segment is not ours");
            assertEquals(ROOT, handler.get("trace_id").asText());
            assertEquals("a1b2c3d4e5f60718", handler.get("parent_id").asText(), "a child of Lambda's segment");
            assertEquals("abc", handler.at("/annotations/image_id").asText());
            assertEquals("decode", handler.at("/subsegments/0/name").asText());
            assertEquals(200, handler.at("/http/response/status").asInt());
        } finally {
            if (before == null) System.clearProperty(property);
            else System.setProperty(property, before);
        }
    }

    private String receive() throws Exception {
        byte[] buffer = new byte[65536];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        daemon.receive(packet);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
    }

    private static List<String> names(JsonNode entities) {
        List<String> names = new ArrayList<>();
        entities.forEach(e -> names.add(e.get("name").asText()));
        return names;
    }
}
