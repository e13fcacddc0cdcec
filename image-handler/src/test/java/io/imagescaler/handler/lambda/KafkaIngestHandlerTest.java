package io.imagescaler.handler.lambda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.handler.error.ImageScalerException.UpstreamFailure;
import io.imagescaler.handler.ingest.KafkaIngestion;
import io.imagescaler.handler.ingest.KafkaIngestionHarness;
import io.imagescaler.handler.intake.MemoryStores;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Kafka entry point reading events of the shape AWS documents for both event sources (self-managed
 * Kafka and MSK; test resources kafka/*.json): base64 keys and values, headers as signed byte arrays,
 * partitions in order; then the same events through the real use case over in-memory ports.
 */
class KafkaIngestHandlerTest {
    static final byte[] PNG = MemoryStores.testImage("images/png-tiny-16x16.png");
    static final byte[] CORRUPT = MemoryStores.testImage("bad/truncated-png-half.png");

    static byte[] event(String resource) throws IOException {
        try (InputStream in = KafkaIngestHandlerTest.class.getResourceAsStream("/kafka/" + resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("${PNG}", Base64.getEncoder().encodeToString(PNG))
                    .replace("${CORRUPT}", Base64.getEncoder().encodeToString(CORRUPT))
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    static List<KafkaIngestion.Message> handled(String resource) throws IOException {
        List<KafkaIngestion.Message> seen = new ArrayList<>();
        new KafkaIngestHandler(m -> {
            seen.add(m);
            return new KafkaIngestion.Refused("recorded", 400, "{}");
        }).handleRequest(new ByteArrayInputStream(event(resource)), new ByteArrayOutputStream(), null);
        return seen;
    }

    @Test
    void aSelfManagedKafkaEventBecomesMessagesInOrder() throws IOException {
        List<KafkaIngestion.Message> messages = handled("self-managed-event.json");

        assertEquals(List.of("image-uploads-0@15", "image-uploads-0@16", "image-uploads-1@3"),
                messages.stream().map(KafkaIngestion.Message::position).toList());
        KafkaIngestion.Message first = messages.getFirst();
        assertEquals("b-1.kafka.example:9092,b-2.kafka.example:9092", first.cluster());
        assertArrayEquals("order-15".getBytes(StandardCharsets.UTF_8), first.key().orElseThrow());
        assertArrayEquals(PNG, first.value());
        assertEquals(Optional.of("alice"), first.header("owner"));
        assertEquals(Optional.of("image/png"), first.header("content-type"));
        assertArrayEquals(new byte[] {-1, 0, 127}, first.headers().get(2).value(), "binary header bytes kept");
        assertTrue(messages.get(1).key().isEmpty(), "an absent key");
        assertTrue(messages.get(2).key().isEmpty(), "a null key");
        assertArrayEquals(CORRUPT, messages.get(1).value());
        assertEquals(1, messages.get(2).partition());
    }

    @Test
    void anMskEventIsReadTheSameWay() throws IOException {
        List<KafkaIngestion.Message> messages = handled("msk-event.json");
        assertEquals(1, messages.size());
        assertEquals(15, messages.getFirst().offset());
        assertTrue(messages.getFirst().cluster().startsWith("b-2.demo-cluster-1"));
        assertArrayEquals(PNG, messages.getFirst().value());
    }

    @Test
    void anotherEventIsNotTakenForKafka() {
        byte[] sqs = "{\"Records\":[{\"eventSource\":\"aws:sqs\"}]}".getBytes(StandardCharsets.UTF_8);
        assertThrows(IllegalArgumentException.class, () -> new KafkaIngestHandler(m -> null)
                .handleRequest(new ByteArrayInputStream(sqs), new ByteArrayOutputStream(), null));
    }

    @Test
    void theBatchRunsThroughTheUseCase() throws IOException {
        KafkaIngestionHarness h = new KafkaIngestionHarness();
        new KafkaIngestHandler(h.ingestion()::ingest)
                .handleRequest(new ByteArrayInputStream(event("self-managed-event.json")), new ByteArrayOutputStream(), null);

        assertEquals(1, h.images(), "the good image is stored");
        assertEquals(List.of("image-uploads-0@16", "image-uploads-1@3"), h.refusedPositions(),
                "the corrupt image and the message without owner are refused");
        assertEquals(1, h.uploadedEvents());

        // Lambda retries the whole batch: nothing is made twice
        new KafkaIngestHandler(h.ingestion()::ingest)
                .handleRequest(new ByteArrayInputStream(event("self-managed-event.json")), new ByteArrayOutputStream(), null);
        assertEquals(1, h.images());
        assertEquals(1, h.uploadedEvents());
    }

    @Test
    void aDependencyFailureFailsTheInvocation() {
        KafkaIngestionHarness h = new KafkaIngestionHarness();
        h.moderationDown(true);
        assertThrows(UpstreamFailure.class, () -> new KafkaIngestHandler(h.ingestion()::ingest)
                .handleRequest(new ByteArrayInputStream(event("self-managed-event.json")), new ByteArrayOutputStream(), null));
        assertEquals(0, h.images());
        assertTrue(h.refusedPositions().isEmpty(), "nothing after the failed record was looked at");
    }
}
