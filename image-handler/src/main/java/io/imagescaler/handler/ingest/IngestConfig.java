package io.imagescaler.handler.ingest;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Kafka ingestion's configuration, read once from the environment.
 *
 * @param bootstrapServers   where failure messages are produced ({@code KAFKA_BOOTSTRAP_SERVERS}); empty = the
 *                           cluster the message came from (the Lambda event's {@code bootstrapServers})
 * @param failureTopic       {@code KAFKA_FAILURE_TOPIC}, default {@value #DEFAULT_FAILURE_TOPIC}
 * @param s3Buckets          the buckets an {@code {"s3":{...}}} reference may name ({@code KAFKA_S3_BUCKETS},
 *                           comma-separated); empty = S3 references are refused
 * @param producerProperties extra producer settings for a secured cluster ({@code KAFKA_PRODUCER_PROPERTIES},
 *                           {@code name=value;name=value}, e.g. {@code security.protocol=SSL})
 */
public record IngestConfig(Optional<String> bootstrapServers, String failureTopic, Set<String> s3Buckets,
                           Map<String, String> producerProperties) {
    public static final String DEFAULT_FAILURE_TOPIC = "image-uploads-failed";
    /** Inline images in a message: at most 1 MiB (Kafka's default message size limit is about that). */
    public static final long MAX_INLINE_BYTES = 1024L * 1024;

    public IngestConfig {
        s3Buckets = Set.copyOf(s3Buckets);
        producerProperties = Map.copyOf(producerProperties);
        if (failureTopic.isBlank()) {
            throw new IllegalArgumentException("configuration: KAFKA_FAILURE_TOPIC must not be blank");
        }
    }

    public static IngestConfig fromEnvironment(Function<String, String> env) {
        Function<String, Optional<String>> get = k -> Optional.ofNullable(env.apply(k)).filter(v -> !v.isBlank());
        Set<String> buckets = get.apply("KAFKA_S3_BUCKETS").map(v -> Arrays.stream(v.split(","))
                .map(String::trim).filter(b -> !b.isEmpty()).collect(Collectors.toUnmodifiableSet())).orElse(Set.of());
        Map<String, String> properties = new LinkedHashMap<>();
        get.apply("KAFKA_PRODUCER_PROPERTIES").ifPresent(v -> {
            for (String entry : v.split(";")) {
                if (entry.isBlank()) continue;
                int eq = entry.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("configuration: KAFKA_PRODUCER_PROPERTIES is name=value;..., got '"
                            + entry.substring(0, Math.min(entry.length(), 40)) + "'");
                }
                properties.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
            }
        });
        return new IngestConfig(get.apply("KAFKA_BOOTSTRAP_SERVERS"),
                get.apply("KAFKA_FAILURE_TOPIC").orElse(DEFAULT_FAILURE_TOPIC), buckets, properties);
    }

    public static IngestConfig off() {
        return new IngestConfig(Optional.empty(), DEFAULT_FAILURE_TOPIC, Set.of(), Map.of());
    }

    /**
     * The use case's settings.
     *
     * @param maxReferenceBytes the largest referenced image: the sync upload's limit ({@code MAX_SYNC_UPLOAD_BYTES})
     * @param allowPrivateHosts whether URLs may name private hosts: the webhooks' {@code WEBHOOK_ALLOW_PRIVATE}
     */
    public KafkaIngestion.Settings settings(long maxReferenceBytes, boolean allowPrivateHosts) {
        return new KafkaIngestion.Settings(MAX_INLINE_BYTES, maxReferenceBytes, allowPrivateHosts, s3Buckets);
    }

    @Override
    public String toString() {
        // producer settings may carry credentials (sasl.jaas.config, ssl passwords): names only
        return "IngestConfig[bootstrapServers=" + bootstrapServers.orElse("(from the event)") + ", failureTopic="
                + failureTopic + ", s3Buckets=" + s3Buckets + ", producerProperties=" + producerProperties.keySet() + "]";
    }
}
