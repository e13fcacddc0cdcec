package io.imagescaler.handler.ingest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.handler.error.ImageScalerException.UpstreamFailure;
import io.imagescaler.handler.ingest.IngestConfig;
import io.imagescaler.handler.ingest.KafkaIngestion;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The failure topic's producer settings, and its bounded failure when no broker answers (a closed loopback
 * port). Producing to a real broker is left to the local edge's Kafka tests (no broker is started here).
 */
class KafkaFailureTopicTest {

    @Test
    void theProducerIsIdempotentWithAcksAllAndBoundedWaits() {
        IngestConfig config = IngestConfig.fromEnvironment(Map.of("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092",
                "KAFKA_PRODUCER_PROPERTIES", "security.protocol=SSL;ssl.truststore.password=secret")::get);
        var p = KafkaFailureTopic.properties("127.0.0.1:9092", config);
        assertEquals("all", p.get("acks"));
        assertEquals("true", p.get("enable.idempotence"));
        assertEquals(10_000, p.get("max.block.ms"));
        assertEquals(20_000, p.get("delivery.timeout.ms"));
        assertEquals("SSL", p.get("security.protocol"), "extra settings for a secured cluster");
        assertEquals("image-uploads-failed", config.failureTopic());
        assertTrue(!config.toString().contains("secret"), "credentials are not printed: " + config);
    }

    @Test
    void noBrokerIsAFailureOfTheBatchWithinItsBound() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        IngestConfig config = IngestConfig.fromEnvironment(Map.of("KAFKA_PRODUCER_PROPERTIES",
                "max.block.ms=1500;reconnect.backoff.max.ms=200")::get);
        var refused = new KafkaIngestion.Message("127.0.0.1:" + closed, "image-uploads", 0, 1,
                Optional.of("k".getBytes(StandardCharsets.UTF_8)),
                List.of(new KafkaIngestion.Header("owner", "alice".getBytes(StandardCharsets.UTF_8))), new byte[] {1});
        try (KafkaFailureTopic topic = new KafkaFailureTopic(config)) {
            long t0 = System.nanoTime();
            var e = assertThrows(UpstreamFailure.class,
                    () -> topic.publish(refused, "{}".getBytes(StandardCharsets.UTF_8)));
            assertTrue(e.getMessage().contains("image-uploads-failed"), e.getMessage());
            assertTrue((System.nanoTime() - t0) / 1e9 < 10, "bounded by max.block.ms");
        }
    }

    @Test
    void withoutAnyClusterNothingIsTried() {
        try (KafkaFailureTopic topic = new KafkaFailureTopic(IngestConfig.off())) {
            var refused = new KafkaIngestion.Message("", "image-uploads", 0, 1, Optional.empty(), List.of(), new byte[0]);
            assertThrows(UpstreamFailure.class, () -> topic.publish(refused, new byte[0]));
        }
    }
}
