package io.imagescaler.edge.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real KRaft broker in-process, consumed by the local Kafka event source as Lambda would. */
class LocalKafkaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path data;
    private static LocalKafka kafka;
    private static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void start() throws Exception {
        kafka = LocalKafka.start(data, LocalKafka.Options.defaults());
        System.out.println("KRaft broker ready (topics created) in " + kafka.startupTime().toMillis() + " ms");
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.LINGER_MS_CONFIG, 0),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aMessageWithHeadersAndAOneMebibyteImageReachTheHandlerAsLambdasKafkaEvent() throws Exception {
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        byte[] image = new byte[1024 * 1024];
        new Random(7).nextBytes(image);
        ProducerRecord<byte[], byte[]> small = new ProducerRecord<>(LocalKafka.INGEST_TOPIC, null,
                "idem-1".getBytes(StandardCharsets.UTF_8), "tiny".getBytes(StandardCharsets.UTF_8));
        small.headers().add("owner", "u1".getBytes(StandardCharsets.UTF_8))
                .add("email", "zoë@example.com".getBytes(StandardCharsets.UTF_8));
        ProducerRecord<byte[], byte[]> large = new ProducerRecord<>(LocalKafka.INGEST_TOPIC, image);
        large.headers().add("owner", "u2".getBytes(StandardCharsets.UTF_8))
                .add("content-type", "image/png".getBytes(StandardCharsets.UTF_8));
        producer.send(small).get(20, TimeUnit.SECONDS);
        producer.send(large).get(20, TimeUnit.SECONDS);

        try (KafkaPoller poller = new KafkaPoller(kafka.bootstrapServers(), LocalKafka.INGEST_TOPIC,
                recording(events, 0), new KafkaPoller.Settings("test-ingest", true, 100, Duration.ofMillis(200),
                        3, Duration.ofMillis(100), Duration.ofSeconds(30))).start()) {
            await(Duration.ofSeconds(30), () -> records(events).size() >= 2);
        }
        JsonNode event = events.getFirst();
        assertThat(event.path("eventSource").asText()).isEqualTo("SelfManagedKafka");
        assertThat(event.path("bootstrapServers").asText()).isEqualTo(kafka.bootstrapServers());
        assertThat(event.path("records").has("image-uploads-0")).isTrue();

        List<JsonNode> records = records(events);
        JsonNode first = records.get(0);
        assertThat(first.path("topic").asText()).isEqualTo("image-uploads");
        assertThat(first.path("partition").asInt()).isZero();
        assertThat(first.path("offset").asLong()).isZero();
        assertThat(first.path("timestamp").asLong()).isPositive();
        assertThat(first.path("timestampType").asText()).isEqualTo("CREATE_TIME");
        assertThat(Base64.getDecoder().decode(first.path("key").asText())).asString().isEqualTo("idem-1");
        assertThat(Base64.getDecoder().decode(first.path("value").asText())).asString().isEqualTo("tiny");
        assertThat(first.path("headers").get(0).path("owner").toString()).isEqualTo("[117,49]");
        // header values are Java's signed bytes, as Lambda sends them: "ë" is [-61,-85]
        JsonNode email = first.path("headers").get(1).path("email");
        byte[] emailBytes = new byte[email.size()];
        for (int i = 0; i < email.size(); i++) {
            emailBytes[i] = (byte) email.get(i).intValue();
        }
        assertThat(new String(emailBytes, StandardCharsets.UTF_8)).isEqualTo("zoë@example.com");
        assertThat(email.toString()).contains("-61,-85");

        JsonNode second = records.get(1);
        assertThat(second.has("key")).isFalse();
        assertThat(Base64.getDecoder().decode(second.path("value").asText())).isEqualTo(image);
        assertThat(second.path("offset").asLong()).isEqualTo(1);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            var topic = new ConfigResource(ConfigResource.Type.TOPIC, LocalKafka.INGEST_TOPIC);
            var config = admin.describeConfigs(List.of(topic)).all().get(10, TimeUnit.SECONDS).get(topic);
            assertThat(config.get("max.message.bytes").value()).isEqualTo(Integer.toString(LocalKafka.MAX_MESSAGE_BYTES));
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS))
                    .contains(LocalKafka.INGEST_TOPIC, LocalKafka.FAILURE_TOPIC);
        }
    }

    @Test
    void aFailingBatchIsRetriedThenSkippedAndOffsetsAreCommittedAfterTheHandler() throws Exception {
        String topic = LocalKafka.FAILURE_TOPIC;
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        producer.send(new ProducerRecord<>(topic, "poison".getBytes(StandardCharsets.UTF_8))).get(20, TimeUnit.SECONDS);
        KafkaPoller.Settings settings = new KafkaPoller.Settings("test-retries", true, 1, Duration.ofMillis(200), 2,
                Duration.ofMillis(50), Duration.ofSeconds(30));
        try (KafkaPoller poller = new KafkaPoller(kafka.bootstrapServers(), topic, recording(events, 3), settings)
                .start()) {
            await(Duration.ofSeconds(30), () -> poller.recordsSkipped() == 1);
            assertThat(events).hasSize(3);   // the first attempt and two retries, the same batch each time
            assertThat(events.get(2)).isEqualTo(events.get(0));
            producer.send(new ProducerRecord<>(topic, "fine".getBytes(StandardCharsets.UTF_8))).get(20, TimeUnit.SECONDS);
            await(Duration.ofSeconds(30), () -> poller.batchesDone() == 2);
            assertThat(events).hasSize(4);
        }
        // committed: a new poller of the same group sees nothing old
        List<JsonNode> again = new CopyOnWriteArrayList<>();
        try (KafkaPoller poller = new KafkaPoller(kafka.bootstrapServers(), topic, recording(again, 0), settings)
                .start()) {
            producer.send(new ProducerRecord<>(topic, "later".getBytes(StandardCharsets.UTF_8))).get(20, TimeUnit.SECONDS);
            await(Duration.ofSeconds(30), () -> poller.batchesDone() == 1);
        }
        assertThat(records(again)).extracting(r -> new String(Base64.getDecoder().decode(r.path("value").asText()),
                StandardCharsets.UTF_8)).containsExactly("later");
    }

    @Test
    void aRestartOverTheSameDataKeepsTheMessagesThoughThePortsChange(@TempDir Path other) throws Exception {
        String before;
        try (LocalKafka first = LocalKafka.start(other, LocalKafka.Options.defaults());
             KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrapServers()),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            before = first.bootstrapServers();
            p.send(new ProducerRecord<>(LocalKafka.INGEST_TOPIC, "kept".getBytes(StandardCharsets.UTF_8)))
                    .get(20, TimeUnit.SECONDS);
        }
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        try (LocalKafka second = LocalKafka.start(other, LocalKafka.Options.defaults());
             KafkaPoller poller = new KafkaPoller(second.bootstrapServers(), LocalKafka.INGEST_TOPIC,
                     recording(events, 0), KafkaPoller.Settings.defaults()).start()) {
            assertThat(second.bootstrapServers()).isNotEqualTo(before);
            await(Duration.ofSeconds(30), () -> poller.batchesDone() == 1);
        }
        assertThat(records(events)).extracting(r -> new String(Base64.getDecoder().decode(r.path("value").asText()),
                StandardCharsets.UTF_8)).containsExactly("kept");
    }

    /** Records every event; the first {@code failures} invocations throw. */
    private static RequestStreamHandler recording(List<JsonNode> events, int failures) {
        return (in, out, context) -> {
            events.add(JSON.readTree(in));
            if (events.size() <= failures) {
                throw new IllegalStateException("a dependency is down");
            }
        };
    }

    private static List<JsonNode> records(List<JsonNode> events) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode e : events) {
            e.path("records").forEach(list -> list.forEach(all::add));
        }
        return all;
    }

    private static void await(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not reached within " + limit);
            }
            Thread.sleep(50);
        }
    }
}
