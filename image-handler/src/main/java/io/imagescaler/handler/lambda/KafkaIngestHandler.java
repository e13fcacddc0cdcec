package io.imagescaler.handler.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.handler.ingest.KafkaIngestion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka entry point ({@code KafkaIngestHandler::handleRequest}): Lambda's Kafka event, from an MSK
 * ({@code aws:kafka}) or a self-managed ({@code SelfManagedKafka}) event source, in; nothing out. It only
 * turns each record (base64 key and value, headers as byte arrays) into a {@link KafkaIngestion.Message} and
 * ingests them one by one, in the order of the event (per partition, by offset). A dependency failure is
 * thrown: Lambda then retries the batch, and the records ingested before it are recognised by their
 * idempotency keys.
 */
public final class KafkaIngestHandler implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaIngestHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Function<KafkaIngestion.Message, KafkaIngestion.Outcome> ingestion;

    /** Lambda: configuration from the environment, built once per execution environment. */
    public KafkaIngestHandler() {
        this(Wiring.fromEnvironment(System::getenv).kafkaIngestion()::ingest);
    }

    /** The local edge and tests: the same handler over an explicit use case. */
    public KafkaIngestHandler(Function<KafkaIngestion.Message, KafkaIngestion.Outcome> ingestion) {
        this.ingestion = ingestion;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        List<KafkaIngestion.Message> messages = messages(JSON.readTree(input));
        int stored = 0;
        int refused = 0;
        for (KafkaIngestion.Message m : messages) {
            if (ingestion.apply(m) instanceof KafkaIngestion.Stored) {
                stored++;
            } else {
                refused++;
            }
        }
        LOG.info("Kafka batch of {}: {} stored, {} refused", messages.size(), stored, refused);
    }

    /** The event's records, in the event's order: its partitions as listed, each partition's records in order. */
    static List<KafkaIngestion.Message> messages(JsonNode event) {
        String source = event.path("eventSource").asText();
        if (!source.equals("SelfManagedKafka") && !source.equals("aws:kafka")) {
            throw new IllegalArgumentException("not a Kafka event: eventSource is '" + source + "'");
        }
        String cluster = event.path("bootstrapServers").asText("");
        List<KafkaIngestion.Message> messages = new ArrayList<>();
        for (Map.Entry<String, JsonNode> partition : event.path("records").properties()) {
            for (JsonNode r : partition.getValue()) {
                messages.add(new KafkaIngestion.Message(cluster, r.path("topic").asText(), r.path("partition").asInt(),
                        r.path("offset").asLong(), base64(r.get("key")), headers(r.path("headers")),
                        base64(r.get("value")).orElse(new byte[0])));
            }
        }
        return messages;
    }

    private static Optional<byte[]> base64(JsonNode field) {
        if (field == null || field.isNull()) {
            return Optional.empty();
        }
        return Optional.of(Base64.getDecoder().decode(field.asText()));
    }

    /** {@code [{"name":[104,105]}, ...]}: each value is the header's bytes as signed or unsigned numbers. */
    private static List<KafkaIngestion.Header> headers(JsonNode headers) {
        List<KafkaIngestion.Header> out = new ArrayList<>();
        for (JsonNode entry : headers) {
            for (Map.Entry<String, JsonNode> h : entry.properties()) {
                JsonNode bytes = h.getValue();
                byte[] value = new byte[bytes.size()];
                for (int i = 0; i < value.length; i++) {
                    value[i] = (byte) bytes.get(i).asInt();
                }
                out.add(new KafkaIngestion.Header(h.getKey(), value));
            }
        }
        return out;
    }
}
