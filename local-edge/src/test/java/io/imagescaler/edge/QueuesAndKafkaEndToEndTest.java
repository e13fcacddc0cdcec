package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.edge.kafka.LocalKafka;
import io.imagescaler.edge.queues.LocalAws;
import io.imagescaler.handler.images.ImageStatus;
import io.imagescaler.spec.ImageId;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failure paths of the asynchronous flows, end to end through the local edge with a super-resolution endpoint
 * that is down: a job that can never succeed is retried by the queue, marked FAILED by its last attempt and lands in
 * the dead-letter queue; a message no worker understands lands there too. And the second way in: a Kafka message
 * with an image becomes a READY image announced on the bus; a corrupt one becomes a failure-topic message with the
 * reason, and nothing is stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueuesAndKafkaEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;
    private LocalEdge edge;
    private String bearer;
    private JobCalls calls;

    @BeforeAll
    void start() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();        // nothing listens there once the socket is closed
        }
        edge = LocalEdge.start(0, data, Map.of("SR_ENDPOINT_URL", "http://127.0.0.1:" + closed,
                "LOCAL_JOBS_VISIBILITY_SECONDS", "2"));
        calls = new JobCalls(edge);
        bearer = calls.bearer();
    }

    @AfterAll
    void stop() {
        if (edge != null) edge.close();
    }

    @Test
    void aJobThatFailsEveryAttemptEndsFailedAndItsMessageInTheDeadLetterQueue() throws Exception {
        String image = calls.upload(Fixtures.image("jpeg-tiny-40x60-orient3.jpg"));
        String jobId = calls.submit(image, "w_160,up_sr.png");
        // a message no worker understands, sent straight to the queue
        edge.aws().sqs().sendMessage(b -> b.queueUrl(edge.aws().queueUrl(LocalAws.JOBS_QUEUE)).messageBody("garbage"));

        JsonNode failed = calls.awaitJob(jobId, s -> s.equals("FAILED"), Duration.ofSeconds(90));
        assertEquals(3, failed.get("attempts").asInt(), failed.toString());
        assertTrue(failed.get("reason").asText().contains("gave up after 3 attempts: super-resolution failed"),
                failed.toString());
        Instant deadline = Instant.now().plusSeconds(60);
        while (edge.aws().depth(LocalAws.JOBS_DLQ) < 2 && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
        }
        assertEquals(2, edge.aws().depth(LocalAws.JOBS_DLQ), "the job's message and the garbage");
        assertTrue(calls.awaitEvent(e -> e.path("detail-type").asText().equals("job_processed")
                && e.path("detail").path("jobId").asText().equals(jobId)
                && e.path("detail").path("status").asText().equals("FAILED")), calls.published.toString());
    }

    @Test
    void aJobWhoseWorkerDiedAndWasNeverRetriedIsFailedByTheSweep() throws Exception {
        String image = calls.upload(Fixtures.image("png-rgba-dice-800x600.png"));
        // three large renders: seconds of work, so the worker is caught mid-job
        var submitted = calls.submit(image, "{\"transforms\": [\"w_3000,up_lanczos,blur_8.png\", "
                + "\"w_3001,up_lanczos,blur_8.png\", \"w_3002,up_lanczos,blur_8.png\"]}", null);
        assertEquals(202, submitted.statusCode(), submitted.body());
        String jobId = JSON.readTree(submitted.body()).get("jobId").asText();
        JsonNode started = calls.awaitJob(jobId, s -> !s.equals("QUEUED"), Duration.ofSeconds(60), Duration.ofMillis(50));
        assertEquals("PROCESSING", started.get("status").asText());
        edge.jobWorkers().kill();      // and nothing takes the message again: as after a death on the last attempt
        try {
            // PROCESSING with no move for every attempt's visibility together (2 s x 3 here): the sweep fails it
            Thread.sleep(7_000);
            edge.sweeps().sweepNow();
            JsonNode swept = calls.awaitJob(jobId, s -> !s.equals("PROCESSING"), Duration.ofSeconds(10));
            assertEquals("FAILED", swept.get("status").asText(), swept.toString());
            assertTrue(swept.get("reason").asText().startsWith("lost: no attempt finished"), swept.toString());
        } finally {
            edge.jobWorkers().start();
        }
        // the message that comes back finds the job FAILED and is dropped
        Thread.sleep(3_000);
        assertEquals("FAILED", calls.awaitJob(jobId, s -> true, Duration.ofSeconds(1)).get("status").asText());
    }

    @Test
    void aKafkaMessageWithAnImageBecomesAReadyImageAndACorruptOneAFailureMessage() throws Exception {
        LocalKafka kafka = edge.kafka().orElseThrow();
        byte[] photo = Fixtures.image("jpeg-tiny-40x60-orient3.jpg");
        int storedBefore = storedObjects();
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka.bootstrapServers());
             KafkaConsumer<byte[], byte[]> failures = consumer(kafka.bootstrapServers())) {
            failures.subscribe(List.of(LocalKafka.FAILURE_TOPIC));
            var good = new ProducerRecord<>(LocalKafka.INGEST_TOPIC, "upload-1".getBytes(), photo);
            good.headers().add("owner", "kafka-app".getBytes()).add("content-type", "image/jpeg".getBytes());
            producer.send(good).get();

            assertTrue(calls.awaitEvent(e -> e.path("detail-type").asText().equals("image_uploaded")
                    && e.path("detail").path("via").asText().equals("kafka")), calls.published.toString());
            JsonNode uploaded = calls.published.stream().filter(e -> e.path("detail").path("via").asText().equals("kafka"))
                    .findFirst().orElseThrow().get("detail");
            String id = uploaded.get("imageId").asText();
            assertEquals("kafka-app", uploaded.get("owner").asText());
            assertEquals(ImageStatus.READY, edge.wiring().service().metadata(id).status());
            assertEquals(storedBefore + 1, storedObjects());

            byte[] corrupt = Arrays.copyOf(Fixtures.image("png-rgba-dice-800x600.png"), 3000);
            var bad = new ProducerRecord<>(LocalKafka.INGEST_TOPIC, "upload-2".getBytes(), corrupt);
            bad.headers().add("owner", "kafka-app".getBytes());
            producer.send(bad).get();
            ConsumerRecord<byte[], byte[]> failure = null;
            Instant deadline = Instant.now().plusSeconds(60);
            while (failure == null && Instant.now().isBefore(deadline)) {
                for (var r : failures.poll(Duration.ofMillis(500))) {
                    failure = r;
                }
            }
            assertTrue(failure != null, "no failure-topic message within 60 s");
            assertEquals("upload-2", new String(failure.key(), StandardCharsets.UTF_8));
            JsonNode reason = JSON.readTree(failure.value());
            assertEquals(422, reason.get("status").asInt(), reason.toString());
            assertTrue(reason.get("type").asText().endsWith("/corrupt-image"), reason.toString());
            assertEquals("kafka-app", reason.get("owner").asText());
            assertEquals(storedBefore + 1, storedObjects(), "nothing of the corrupt message was stored");
            assertEquals(1, images(), "one image record: the good message's");
        }
    }

    private int storedObjects() {
        var s3 = edge.wiring().clients().s3();
        String bucket = edge.wiring().config().originalsBucket();
        return s3.listObjectsV2(b -> b.bucket(bucket)).keyCount();
    }

    private long images() {
        return edge.wiring().clients().dynamo().scan(b -> b.tableName(edge.wiring().config().table())
                .filterExpression("#k = :image").expressionAttributeNames(Map.of("#k", "kind"))
                .expressionAttributeValues(Map.of(":image",
                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("image"))))
                .items().stream().filter(i -> ImageId.isValid(i.get("pk").s()))
                .filter(i -> "kafka-app".equals(i.get("owner").s())).count();
    }

    private static KafkaProducer<byte[], byte[]> producer(String servers) {
        Properties p = new Properties();
        p.put("bootstrap.servers", servers);
        p.put("acks", "all");
        p.put("max.block.ms", "10000");
        p.put("delivery.timeout.ms", "20000");
        p.put("request.timeout.ms", "10000");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String servers) {
        Properties p = new Properties();
        p.put("bootstrap.servers", servers);
        p.put("group.id", "failure-reader");
        p.put("auto.offset.reset", "earliest");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
