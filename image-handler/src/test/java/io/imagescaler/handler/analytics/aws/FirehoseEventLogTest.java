package io.imagescaler.handler.analytics.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.handler.analytics.UsageEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The Firehose adapter against moto's server (a real implementation of the Firehose and S3 protocols,
 * installed here for Python 3.11), started on a loopback port: PutRecordBatch through the SDK, then the
 * objects moto delivered into the bucket, read back as JSON lines. Moto delivers at once and does not
 * expand the {@code !{timestamp:...}} prefix namespace (AWS does, after its buffer); the packing, the
 * batch limits and the line format are what this holds. Skipped with a reason when moto is absent.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirehoseEventLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    MotoServer moto;
    FirehoseClient firehose;
    S3Client s3;

    @BeforeAll
    void startMoto() throws Exception {
        moto = MotoServer.startOrSkip();
        firehose = FirehoseClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .credentialsProvider(MotoServer.CREDENTIALS).endpointOverride(moto.endpoint()).build();
        s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .credentialsProvider(MotoServer.CREDENTIALS).endpointOverride(moto.endpoint()).forcePathStyle(true).build();
        s3.createBucket(b -> b.bucket("lake"));
        firehose.createDeliveryStream(b -> b.deliveryStreamName("events").deliveryStreamType("DirectPut")
                .extendedS3DestinationConfiguration(d -> d.bucketARN("arn:aws:s3:::lake")
                        .roleARN("arn:aws:iam::123456789012:role/delivery").prefix("events/")
                        .compressionFormat("UNCOMPRESSED")));
    }

    @AfterAll
    void stopMoto() throws Exception {
        if (firehose != null) firehose.close();
        if (s3 != null) s3.close();
        if (moto != null) moto.close();
    }

    @Test
    void batchesArrivePackedAsJsonLinesEachEventOnce() throws Exception {
        FirehoseEventLog log = new FirehoseEventLog(firehose, "events");
        Set<String> sent = new HashSet<>();
        for (int batch = 0; batch < 3; batch++) {
            List<UsageEvent> events = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                UsageEvent e = UsageEvent.at(Instant.parse("2026-11-23T10:15:30Z"), UsageEvent.Type.RENDER)
                        .image("owner-" + (i % 7), "image-" + i, "image/jpeg").format("webp")
                        .size(12_345, 640, 480).transform("w_640.webp").durationMs(42).build();
                events.add(e);
                sent.add(e.id());
            }
            assertEquals(0, log.write(events), "nothing refused");
            // 500 events of ~280 bytes: a few 64 KiB records, not 500 records billed at 5 KB each
            var packed = FirehoseEventLog.pack(events);
            assertTrue(packed.size() >= 2 && packed.size() <= 4, "records: " + packed.size());
            packed.forEach(p -> assertTrue(p.record().data().asByteArray().length <= FirehoseEventLog.RECORD_BYTES));
            assertEquals(500, packed.stream().mapToInt(FirehoseEventLog.Packed::events).sum());
        }
        Set<String> delivered = new HashSet<>();
        int lines = 0;
        for (var o : s3.listObjectsV2Paginator(b -> b.bucket("lake").prefix("events/")).contents()) {
            String body = s3.getObjectAsBytes(b -> b.bucket("lake").key(o.key())).asString(StandardCharsets.UTF_8);
            assertTrue(body.endsWith("\n"), "every record ends its last line");
            for (String line : body.split("\n")) {
                var json = JSON.readTree(line);
                assertEquals("render", json.get("event_type").asText());
                delivered.add(json.get("event_id").asText());
                lines++;
            }
        }
        assertEquals(1500, lines);
        assertEquals(sent, delivered);
    }

    @Test
    void anUnknownStreamFailsTheWholeBatchLoudly() {
        FirehoseEventLog log = new FirehoseEventLog(firehose, "no-such-stream");
        var e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> log.write(List.of(
                UsageEvent.at(Instant.EPOCH, UsageEvent.Type.DELETE).image("o", "i", "image/png").build())));
        assertTrue(e.getMessage().contains("no-such-stream") || e.getClass().getSimpleName().contains("NotFound"),
                e.toString());
    }
}
