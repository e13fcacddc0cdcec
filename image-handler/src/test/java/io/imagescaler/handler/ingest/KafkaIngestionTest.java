package io.imagescaler.handler.ingest;

import static io.imagescaler.handler.ingest.IngestFixture.message;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.handler.error.ImageScalerException.UpstreamFailure;
import io.imagescaler.handler.events.DomainEvent;
import io.imagescaler.handler.images.ImageRecord;
import io.imagescaler.handler.images.ImageStatus;
import io.imagescaler.handler.intake.MemoryStores;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Kafka ingestion over in-memory ports with a fixed clock: a good image becomes READY and is announced; a bad
 * message goes to the failure topic with its reason and nothing is stored; a redelivered message makes no
 * second image; a failed dependency is thrown (Lambda retries) and nothing is refused for it.
 */
class KafkaIngestionTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final byte[] PNG = MemoryStores.testImage("images/png-tiny-16x16.png");
    static final byte[] CORRUPT = MemoryStores.testImage("bad/truncated-png-half.png");
    static final byte[] TEXT = MemoryStores.testImage("bad/text-named.png");

    final IngestFixture f = new IngestFixture(false);

    @Test
    void aGoodImageIsReadyAndAnnounced() {
        var outcome = f.ingestion.ingest(message(7, null, PNG, "owner", "alice", "content-type", "image/png"));

        ImageRecord record = assertInstanceOf(KafkaIngestion.Stored.class, outcome).record();
        assertEquals(ImageStatus.READY, record.status());
        assertEquals("alice", record.owner());
        assertEquals(record, f.records.get(record.id()).orElseThrow());
        assertArrayEquals(PNG, f.originals.get(record.id()).orElseThrow().bytes());
        var uploaded = f.events.ofType(DomainEvent.IMAGE_UPLOADED);
        assertEquals(1, uploaded.size());
        assertEquals("kafka", uploaded.getFirst().detail().get("via").asText());
        assertEquals(record.id().value(), uploaded.getFirst().detail().get("imageId").asText());
        assertEquals("READY", uploaded.getFirst().detail().get("status").asText());
        assertTrue(f.failures.produced.isEmpty());
    }

    @Test
    void aCorruptImageGoesToTheFailureTopicWithItsReasonAndNothingIsStored() throws Exception {
        byte[] key = "order-17".getBytes(StandardCharsets.UTF_8);
        var m = message(42, key, CORRUPT, "owner", "alice", "content-type", "image/png");

        var refused = assertInstanceOf(KafkaIngestion.Refused.class, f.ingestion.ingest(m));

        assertEquals(422, refused.status());
        assertEquals(1, f.failures.produced.size());
        var produced = f.failures.produced.getFirst();
        assertArrayEquals(key, produced.refused().key().orElseThrow(), "same key");
        assertEquals(m.headers(), produced.refused().headers(), "same headers");
        JsonNode value = JSON.readTree(produced.value());
        assertEquals("https://image-scaler.dev/problems/corrupt-image", value.get("type").asText());
        assertEquals(422, value.get("status").asInt());
        assertFalse(value.get("reason").asText().isBlank());
        assertEquals("image-uploads", value.get("topic").asText());
        assertEquals(0, value.get("partition").asInt());
        assertEquals(42, value.get("offset").asLong());
        assertEquals("alice", value.get("owner").asText());
        assertNothingStored();
    }

    @Test
    void aMessageWithoutOwnerIsRefused() throws Exception {
        var refused = assertInstanceOf(KafkaIngestion.Refused.class, f.ingestion.ingest(message(1, null, PNG)));
        assertEquals(400, refused.status());
        JsonNode value = JSON.readTree(f.failures.produced.getFirst().value());
        assertTrue(value.get("reason").asText().contains("owner"), value.toString());
        assertTrue(value.get("owner").isNull());
        assertNothingStored();
    }

    @Test
    void anInlineImageAboveOneMebibyteIsRefused() throws Exception {
        byte[] big = Arrays.copyOf(PNG, 1024 * 1024 + 1);
        var refused = assertInstanceOf(KafkaIngestion.Refused.class,
                f.ingestion.ingest(message(2, null, big, "owner", "alice")));
        assertEquals(413, refused.status());
        assertEquals("https://image-scaler.dev/problems/payload-too-large",
                JSON.readTree(f.failures.produced.getFirst().value()).get("type").asText());
        assertNothingStored();
        assertEquals(0, f.model.calls, "refused before any check");
    }

    @Test
    void bytesThatAreNoImageAreRefused() {
        var refused = assertInstanceOf(KafkaIngestion.Refused.class,
                f.ingestion.ingest(message(3, null, TEXT, "owner", "alice")));
        assertEquals(415, refused.status());
        assertNothingStored();
    }

    @Test
    void aRedeliveredMessageMakesOneImage() {
        var m = message(9, null, PNG, "owner", "alice");
        var first = assertInstanceOf(KafkaIngestion.Stored.class, f.ingestion.ingest(m));
        var again = assertInstanceOf(KafkaIngestion.Stored.class, f.ingestion.ingest(m));

        assertFalse(first.replayed());
        assertTrue(again.replayed());
        assertEquals(first.record().id(), again.record().id());
        assertEquals(1, f.records.items.size());
        assertEquals(1, f.originals.objects());
        assertEquals(1, f.events.ofType(DomainEvent.IMAGE_UPLOADED).size(), "announced once");
    }

    @Test
    void aProducerRetryWithTheSameKeyMakesOneImage() {
        byte[] key = "upload-abc".getBytes(StandardCharsets.UTF_8);
        var first = (KafkaIngestion.Stored) f.ingestion.ingest(message(10, key, PNG, "owner", "alice"));
        var retry = (KafkaIngestion.Stored) f.ingestion.ingest(message(11, key, PNG, "owner", "alice"));
        assertEquals(first.record().id(), retry.record().id());
        assertEquals(1, f.records.items.size());
        // without a key, another offset is another image
        f.ingestion.ingest(message(12, null, PNG, "owner", "alice"));
        assertEquals(2, f.records.items.size());
    }

    @Test
    void aBinaryKeyIsAnIdempotencyKeyToo() {
        var m = message(1, new byte[] {0, (byte) 0xff, 10}, PNG, "owner", "alice");
        assertTrue(KafkaIngestion.idempotencyKey(m).startsWith("sha256:"));
        assertEquals("image-uploads-0@1", KafkaIngestion.idempotencyKey(message(1, null, PNG)));
        f.ingestion.ingest(m);
        f.ingestion.ingest(m);
        assertEquals(1, f.records.items.size());
    }

    @Test
    void aFailedDependencyIsThrownNotRefusedAndTheRetryStores() {
        f.model.down = true;
        var m = message(5, null, PNG, "owner", "alice");
        assertThrows(UpstreamFailure.class, () -> f.ingestion.ingest(m));
        assertTrue(f.failures.produced.isEmpty(), "a dependency failure is not the message's fault");
        assertNothingStored();

        f.model.down = false;
        var stored = assertInstanceOf(KafkaIngestion.Stored.class, f.ingestion.ingest(m));
        assertFalse(stored.replayed());
        assertEquals(ImageStatus.READY, stored.record().status());
    }

    @Test
    void aFailureTopicThatIsDownFailsTheBatch() {
        f.failures.down = true;
        assertThrows(UpstreamFailure.class, () -> f.ingestion.ingest(message(5, null, CORRUPT, "owner", "alice")));
        assertNothingStored();
    }

    @Test
    void anHttpsReferenceIsFetched() {
        URI url = URI.create("https://203.0.113.10/cat.png");
        f.web.put(url, PNG);
        var stored = assertInstanceOf(KafkaIngestion.Stored.class, f.ingestion.ingest(message(1, null,
                "{\"url\":\"https://203.0.113.10/cat.png\"}".getBytes(StandardCharsets.UTF_8),
                "owner", "alice", "content-type", "application/json")));
        assertArrayEquals(PNG, f.originals.get(stored.record().id()).orElseThrow().bytes());
    }

    @Test
    void badReferencesAreRefused() throws Exception {
        assertRefused("{\"url\":\"http://203.0.113.10/cat.png\"}", 400, "https");
        assertRefused("{\"url\":\"https://127.0.0.1/cat.png\"}", 403, "private");
        assertRefused("{\"url\":\"https://203.0.113.10/missing.png\"}", 404, "404");
        assertRefused("{\"s3\":{\"bucket\":\"someone-elses\",\"key\":\"a.png\"}}", 403, "KAFKA_S3_BUCKETS");
        assertRefused("{\"s3\":{\"bucket\":\"partner-uploads\",\"key\":\"missing.png\"}}", 404, "does not exist");
        assertRefused("{\"s3\":{\"bucket\":\"partner-uploads\"}}", 400, "bucket and key");
        assertRefused("not json", 400, "not JSON");
        assertRefused("{\"file\":\"a.png\"}", 400, "names no image");
        assertNothingStored();
    }

    private void assertRefused(String reference, int status, String reasonContains) throws Exception {
        int before = f.failures.produced.size();
        var refused = assertInstanceOf(KafkaIngestion.Refused.class, f.ingestion.ingest(message(before, null,
                reference.getBytes(StandardCharsets.UTF_8), "owner", "alice", "content-type", "application/json")));
        assertEquals(status, refused.status(), refused.reason());
        assertTrue(refused.reason().contains(reasonContains), refused.reason());
        assertEquals(before + 1, f.failures.produced.size());
        assertEquals(status, JSON.readTree(f.failures.produced.getLast().value()).get("status").asInt());
    }

    @Test
    void anS3ReferenceInAnAllowedBucketIsRead() {
        f.bucketObjects.put("partner-uploads/in/cat.png", PNG);
        var stored = assertInstanceOf(KafkaIngestion.Stored.class, f.ingestion.ingest(message(1, null,
                "{\"s3\":{\"bucket\":\"partner-uploads\",\"key\":\"in/cat.png\"}}".getBytes(StandardCharsets.UTF_8),
                "owner", "alice", "content-type", "application/json; charset=utf-8")));
        assertEquals(ImageStatus.READY, stored.record().status());
    }

    @Test
    void privateHostsAreAllowedWhereWebhooksMayCallThem() {
        IngestFixture local = new IngestFixture(true);
        local.web.put(URI.create("https://127.0.0.1:8443/cat.png"), PNG);
        assertInstanceOf(KafkaIngestion.Stored.class, local.ingestion.ingest(message(1, null,
                "{\"url\":\"https://127.0.0.1:8443/cat.png\"}".getBytes(StandardCharsets.UTF_8),
                "owner", "alice", "content-type", "application/json")));
    }

    @Test
    void theOwnerIsToldTheOutcomeByEmail() {
        f.ingestion.ingest(message(1, null, PNG, "owner", "alice", "email", "alice@example.com"));
        f.ingestion.ingest(message(2, null, CORRUPT, "owner", "alice", "email", "alice@example.com"));

        assertEquals(2, f.mails.sent.size());
        assertEquals("alice@example.com", f.mails.sent.get(0).to());
        assertTrue(f.mails.sent.get(0).subject().contains("READY"), f.mails.sent.get(0).subject());
        assertTrue(f.mails.sent.get(1).subject().contains("refused"), f.mails.sent.get(1).subject());
        assertTrue(f.mails.sent.get(1).text().contains("image-uploads-0@2"), f.mails.sent.get(1).text());
        // a redelivery sends nothing more
        f.ingestion.ingest(message(1, null, PNG, "owner", "alice", "email", "alice@example.com"));
        assertEquals(2, f.mails.sent.size());
    }

    @Test
    void aBadEmailIsRefusedBeforeAnythingIsStored() {
        var refused = assertInstanceOf(KafkaIngestion.Refused.class,
                f.ingestion.ingest(message(1, null, PNG, "owner", "alice", "email", "not an address")));
        assertEquals(400, refused.status());
        assertNothingStored();
        assertTrue(f.mails.sent.isEmpty());
    }

    private void assertNothingStored() {
        assertTrue(f.records.items.isEmpty(), "no record: " + f.records.items);
        assertEquals(0, f.originals.objects(), "no object");
        assertEquals(0, f.keys.size(), "no idempotency key left claimed");
        assertTrue(f.events.published().isEmpty(), "nothing announced");
    }
}
