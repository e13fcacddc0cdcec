package io.imagescaler.handler.ingest.kafka;

import io.imagescaler.handler.error.ImageScalerException.UpstreamFailure;
import io.imagescaler.handler.ingest.FailureTopic;
import io.imagescaler.handler.ingest.IngestConfig;
import io.imagescaler.handler.ingest.KafkaIngestion;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link FailureTopic} as a Kafka producer: the refused message's key and headers with the failure document
 * as value, to {@code KAFKA_FAILURE_TOPIC} on {@code KAFKA_BOOTSTRAP_SERVERS} (else the cluster the message
 * came from). Idempotent producer with {@code acks=all}, so a failure message is neither lost on a broker
 * failover nor doubled by the producer's own retries; every wait is bounded (block, request, delivery), and
 * a send that did not complete in time is a 503-kind failure (Lambda retries the batch). The producer is
 * made on first use: most invocations refuse nothing.
 */
public final class KafkaFailureTopic implements FailureTopic, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaFailureTopic.class);
    static final int MAX_BLOCK_MS = 10_000;
    static final int REQUEST_TIMEOUT_MS = 10_000;
    static final int DELIVERY_TIMEOUT_MS = 20_000;

    private final IngestConfig config;
    /** By bootstrap servers: one producer per cluster (normally exactly one). */
    private final Map<String, Producer<byte[], byte[]>> producers = new HashMap<>();

    public KafkaFailureTopic(IngestConfig config) {
        this.config = config;
    }

    @Override
    public void publish(KafkaIngestion.Message refused, byte[] value) {
        String servers = config.bootstrapServers().orElse(refused.cluster());
        if (servers == null || servers.isBlank()) {
            throw new UpstreamFailure("no Kafka cluster for the failure topic: set KAFKA_BOOTSTRAP_SERVERS", null);
        }
        var record = new ProducerRecord<>(config.failureTopic(), null, refused.key().orElse(null), value,
                refused.headers().stream().map(h -> new RecordHeader(h.name(), h.value()))
                        .map(h -> (org.apache.kafka.common.header.Header) h).toList());
        try {
            var metadata = producer(servers).send(record).get(DELIVERY_TIMEOUT_MS + 2_000L, TimeUnit.MILLISECONDS);
            LOG.info("failure message for {} written to {}-{}@{}", refused.position(), metadata.topic(),
                    metadata.partition(), metadata.offset());
        } catch (ExecutionException | KafkaException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new UpstreamFailure("the failure topic " + config.failureTopic() + " (Kafka) did not take the "
                    + "message: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamFailure("interrupted while writing to the failure topic", e);
        }
    }

    private synchronized Producer<byte[], byte[]> producer(String servers) {
        return producers.computeIfAbsent(servers, s -> new KafkaProducer<>(properties(s, config),
                new ByteArraySerializer(), new ByteArraySerializer()));
    }

    static Properties properties(String servers, IngestConfig config) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "image-scaler-ingest-failures");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.putAll(config.producerProperties());
        return p;
    }

    @Override
    public synchronized void close() {
        producers.values().forEach(p -> p.close(java.time.Duration.ofSeconds(5)));
        producers.clear();
    }

    @Override
    public String toString() {
        return "Kafka topic " + config.failureTopic();
    }
}
