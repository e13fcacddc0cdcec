package io.imagescaler.edge.kafka;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagescaler.edge.gateway.LocalLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Lambda's Kafka event source mapping (self-managed Kafka) does, locally: a consumer in its own group
 * polls the topic and hands each batch to the handler as the same event JSON Lambda sends
 * ({@code "eventSource":"SelfManagedKafka"}, records keyed {@code <topic>-<partition>}, key and value in
 * base64, header values as arrays of (signed, Java) byte values). Offsets are committed only after the
 * handler returned.
 *
 * <p>When the handler throws, the batch is retried {@code retries} times with doubling backoff; after that it
 * is logged at ERROR and skipped (its offsets committed). Lambda itself, without a retry limit, retries a
 * failed Kafka batch until it succeeds and holds the partition meanwhile; with {@code MaximumRetryAttempts}
 * and no on-failure destination it drops the batch as done here. The bounded form keeps the local edge from
 * stalling on one message; the ingest handler sends bad messages to the failure topic itself and throws only
 * when a dependency failed.
 */
public final class KafkaPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaPoller.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /**
     * @param groupId         the consumer group (one per event source mapping)
     * @param fromEarliest    where a new group starts: the oldest message, or only new ones
     * @param batchSize       records per invocation at most (Lambda's BatchSize; default 100)
     * @param pollTimeout     how long one poll waits for records
     * @param retries         further attempts of a failed batch before it is skipped
     * @param firstBackoff    the pause before the first retry; doubles each time, up to 30 s
     * @param functionTimeout an invocation running longer fails (Lambda's function timeout)
     */
    public record Settings(String groupId, boolean fromEarliest, int batchSize, Duration pollTimeout, int retries,
                           Duration firstBackoff, Duration functionTimeout) {
        public Settings {
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("batchSize must be 1..10000: " + batchSize);
            }
            if (retries < 0 || retries > 100) {
                throw new IllegalArgumentException("retries must be 0..100: " + retries);
            }
            if (!pollTimeout.isPositive() || firstBackoff.isNegative() || !functionTimeout.isPositive()) {
                throw new IllegalArgumentException("durations must be positive");
            }
        }

        public static Settings defaults() {
            return new Settings("image-scaler-ingest", true, 100, Duration.ofSeconds(1), 3, Duration.ofSeconds(1),
                    Duration.ofSeconds(900));
        }
    }

    private final String bootstrapServers;
    private final String topic;
    private final RequestStreamHandler handler;
    private final Settings settings;
    private final AtomicLong batchesDone = new AtomicLong();
    private final AtomicLong recordsSkipped = new AtomicLong();
    private volatile boolean closing;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;
    private ExecutorService invoker;

    public KafkaPoller(String bootstrapServers, String topic, RequestStreamHandler handler, Settings settings) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.handler = handler;
        this.settings = settings;
    }

    /** Subscribes and starts polling on a thread of its own. */
    public synchronized KafkaPoller start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        long maxPollInterval = Math.min(Integer.MAX_VALUE, settings.functionTimeout().toMillis()
                * (settings.retries() + 1) + MAX_BACKOFF.toMillis() * settings.retries() + 60_000);
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "local-event-source-" + topic);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, settings.fromEarliest() ? "earliest" : "latest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.batchSize());
        config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) maxPollInterval);
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2 * LocalKafka.MAX_MESSAGE_BYTES);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        consumer = new KafkaConsumer<>(config);
        consumer.subscribe(List.of(topic));
        invoker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kafka-invoke-" + topic);
            t.setDaemon(true);
            return t;
        });
        thread = new Thread(this::run, "kafka-poll-" + topic);
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Batches the handler finished (succeeded, or failed every attempt and were skipped). */
    public long batchesDone() {
        return batchesDone.get();
    }

    /** Records skipped after their batch failed every attempt. */
    public long recordsSkipped() {
        return recordsSkipped.get();
    }

    private void run() {
        KafkaConsumer<byte[], byte[]> c = consumer;
        try {
            while (!closing) {
                ConsumerRecords<byte[], byte[]> records = c.poll(settings.pollTimeout());
                if (records.isEmpty()) {
                    continue;
                }
                if (!deliver(records)) {
                    return;     // closing during retries: nothing committed, the batch comes again next time
                }
                Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
                for (TopicPartition tp : records.partitions()) {
                    List<ConsumerRecord<byte[], byte[]>> part = records.records(tp);
                    next.put(tp, new OffsetAndMetadata(part.getLast().offset() + 1));
                }
                c.commitSync(next);
                batchesDone.incrementAndGet();
            }
        } catch (WakeupException e) {
            if (!closing) {
                LOG.error("Kafka poller for {} woken up unexpectedly", topic, e);
            }
        } catch (RuntimeException e) {
            LOG.error("Kafka poller for {} stopped", topic, e);
        } finally {
            c.close(Duration.ofSeconds(5));
        }
    }

    /** @return false when closing interrupted the attempts */
    private boolean deliver(ConsumerRecords<byte[], byte[]> records) {
        byte[] event = event(records);
        Duration backoff = settings.firstBackoff();
        for (int attempt = 0; attempt <= settings.retries(); attempt++) {
            if (attempt > 0) {
                if (!pause(backoff)) {
                    return false;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
            if (closing) {
                return false;
            }
            String failure = invoke(event);
            if (failure == null) {
                return true;
            }
            LOG.warn("Kafka poller for {}: attempt {} of {} failed: {}", topic, attempt + 1, settings.retries() + 1,
                    failure);
        }
        LOG.error("Kafka poller for {}: skipping {} records after {} failed attempts: {}", topic, records.count(),
                settings.retries() + 1, offsets(records));
        recordsSkipped.addAndGet(records.count());
        return true;
    }

    /** @return null when the handler returned, else why it failed */
    private String invoke(byte[] event) {
        Future<?> call = invoker.submit(() -> {
            handler.handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(),
                    new LocalLambdaContext(settings.functionTimeout().toMillis()));
            return null;
        });
        try {
            call.get(settings.functionTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause().toString();
        } catch (TimeoutException e) {
            call.cancel(true);
            return "timed out after " + settings.functionTimeout();
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The event Lambda's self-managed Kafka event source passes to the function. */
    byte[] event(ConsumerRecords<byte[], byte[]> records) {
        ObjectNode event = JSON.createObjectNode();
        event.put("eventSource", "SelfManagedKafka");
        event.put("bootstrapServers", bootstrapServers);
        ObjectNode byPartition = event.putObject("records");
        Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> ordered = new LinkedHashMap<>();
        records.partitions().stream()
                .sorted((a, b) -> a.topic().equals(b.topic()) ? Integer.compare(a.partition(), b.partition())
                        : a.topic().compareTo(b.topic()))
                .forEach(tp -> ordered.put(tp, records.records(tp)));
        Base64.Encoder b64 = Base64.getEncoder();
        for (var entry : ordered.entrySet()) {
            ArrayNode list = byPartition.putArray(entry.getKey().topic() + "-" + entry.getKey().partition());
            for (ConsumerRecord<byte[], byte[]> r : entry.getValue()) {
                ObjectNode n = list.addObject();
                n.put("topic", r.topic());
                n.put("partition", r.partition());
                n.put("offset", r.offset());
                n.put("timestamp", r.timestamp());
                n.put("timestampType", r.timestampType().name());
                if (r.key() != null) {
                    n.put("key", b64.encodeToString(r.key()));
                }
                if (r.value() != null) {
                    n.put("value", b64.encodeToString(r.value()));
                }
                ArrayNode headers = n.putArray("headers");
                for (Header h : r.headers()) {
                    ArrayNode bytes = headers.addObject().putArray(h.key());
                    if (h.value() != null) {
                        for (byte b : h.value()) {
                            bytes.add(b);
                        }
                    }
                }
            }
        }
        try {
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String offsets(ConsumerRecords<byte[], byte[]> records) {
        StringBuilder s = new StringBuilder();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> part = records.records(tp);
            s.append(s.isEmpty() ? "" : ", ").append(tp).append('@').append(part.getFirst().offset())
                    .append("..").append(part.getLast().offset());
        }
        return s.toString();
    }

    private boolean pause(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (!closing && System.nanoTime() < end) {
            try {
                Thread.sleep(Math.min(100, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !closing;
    }

    /** Stops polling; a running invocation may finish (bounded: 30 s), and the consumer leaves its group. */
    @Override
    public synchronized void close() throws InterruptedException {
        if (thread == null) {
            return;
        }
        closing = true;
        consumer.wakeup();
        thread.join(30_000);
        if (thread.isAlive()) {
            LOG.warn("Kafka poller for {} did not stop within 30 s; interrupting it", topic);
            thread.interrupt();
            thread.join(5_000);
        }
        invoker.shutdownNow();
        thread = null;
    }
}
