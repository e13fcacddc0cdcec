package io.imagescaler.handler.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagescaler.handler.api.Problems;
import io.imagescaler.handler.api.RecordJson;
import io.imagescaler.handler.error.ImageScalerException;
import io.imagescaler.handler.error.ImageScalerException.Conflict;
import io.imagescaler.handler.error.ImageScalerException.Forbidden;
import io.imagescaler.handler.error.ImageScalerException.InvalidRequest;
import io.imagescaler.handler.error.ImageScalerException.NotFound;
import io.imagescaler.handler.error.ImageScalerException.PayloadTooLarge;
import io.imagescaler.handler.error.ImageScalerException.UnsupportedImage;
import io.imagescaler.handler.idempotency.IdempotentRequests;
import io.imagescaler.handler.images.ImageRecord;
import io.imagescaler.handler.images.ImageStatus;
import io.imagescaler.handler.intake.Intake;
import io.imagescaler.handler.notification.UploadNotifications;
import io.imagescaler.handler.notification.Webhooks;
import io.imagescaler.handler.storage.ImageRecords;
import io.imagescaler.spec.ImageId;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads that arrive as Kafka messages (topic {@code image-uploads}): one message in, one image out through
 * the same {@link Intake} as {@code POST /v1/images}, or one failure message out. Plain Java: the Lambda
 * handler turns the Kafka event into {@link Message}s, the adapters behind {@link FailureTopic},
 * {@link WebReferences} and {@link BucketReferences} do the I/O.
 *
 * <p>A message carries the owner (header {@code owner}, required), an optional {@code email} to tell the
 * outcome, and the image: inline (header {@code content-type: image/*} or none, at most 1 MiB) or a JSON
 * reference ({@code content-type: application/json}: {@code {"url":"https://..."}} or
 * {@code {"s3":{"bucket":"..","key":".."}}}, at most the sync upload's limit, only https, no private hosts
 * unless webhooks may call them, only allow-listed buckets).
 *
 * <p>Outcomes:
 * <ul>
 *   <li>Stored: the image's record is final and {@code image_uploaded} published (by the intake).</li>
 *   <li>A redelivered message (Lambda retries batches; a producer retries sends) makes no second image: the
 *       message key, else {@code <topic>-<partition>@<offset>}, is an Idempotency-Key (scope
 *       {@code kafka#<owner>}).</li>
 *   <li>Refused (the message's fault: missing owner, bad reference, too large, not an image, corrupt): a
 *       failure message with the reason goes to the failure topic, and nothing is stored (every check runs
 *       before the intake's first write; a failed write is undone).</li>
 *   <li>A dependency failed (S3, DynamoDB, moderation, the failure topic; 503-kind), or the same message is
 *       still being processed elsewhere (409): thrown, so Lambda retries the batch.</li>
 * </ul>
 */
public final class KafkaIngestion {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaIngestion.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_OWNER_LENGTH = 256;

    /**
     * @param maxInlineBytes    the largest inline image (1 MiB)
     * @param maxReferenceBytes the largest referenced image (the sync upload's limit)
     * @param allowPrivateHosts whether a URL may name a loopback/private host (the local edge only)
     * @param s3Buckets         the buckets a reference may name
     */
    public record Settings(long maxInlineBytes, long maxReferenceBytes, boolean allowPrivateHosts,
                           Set<String> s3Buckets) {
        public Settings {
            s3Buckets = Set.copyOf(s3Buckets);
        }
    }

    /** One record header; Kafka allows a name more than once (the last one counts here). */
    public record Header(String name, byte[] value) {
    }

    /**
     * One Kafka message as the event source delivered it.
     *
     * @param cluster the bootstrap servers it came from (where its failure message goes unless configured)
     * @param key     empty when the producer sent none
     */
    public record Message(String cluster, String topic, int partition, long offset, Optional<byte[]> key,
                          List<Header> headers, byte[] value) {
        public Message {
            headers = List.copyOf(headers);
            value = value == null ? new byte[0] : value;
        }

        /** The last header of that name (case-insensitive), as UTF-8 text. */
        public Optional<String> header(String name) {
            Optional<String> found = Optional.empty();
            for (Header h : headers) {
                if (h.name().equalsIgnoreCase(name) && h.value() != null) {
                    found = Optional.of(new String(h.value(), StandardCharsets.UTF_8));
                }
            }
            return found;
        }

        /** {@code <topic>-<partition>@<offset>}: where the message sits, unique within the cluster. */
        public String position() {
            return topic + "-" + partition + "@" + offset;
        }
    }

    /** What became of a message. */
    public sealed interface Outcome permits Stored, Refused {
    }

    /** @param replayed the image an earlier delivery of the same message made */
    public record Stored(ImageRecord record, boolean replayed) implements Outcome {
    }

    /** @param value the failure message's value, as it went to the failure topic */
    public record Refused(String reason, int status, String value) implements Outcome {
    }

    private final Settings settings;
    private final Intake intake;
    private final ImageRecords records;
    private final IdempotentRequests idempotency;
    private final UploadNotifications notifications;
    private final WebReferences web;
    private final BucketReferences buckets;
    private final FailureTopic failures;

    public KafkaIngestion(Settings settings, Intake intake, ImageRecords records, IdempotentRequests idempotency,
                          UploadNotifications notifications, WebReferences web, BucketReferences buckets,
                          FailureTopic failures) {
        this.settings = settings;
        this.intake = intake;
        this.records = records;
        this.idempotency = idempotency;
        this.notifications = notifications;
        this.web = web;
        this.buckets = buckets;
        this.failures = failures;
    }

    /**
     * Ingests one message.
     *
     * @throws ImageScalerException a dependency failed (503-kind) or the message is being processed by
     *         another delivery (409): the batch must be retried
     */
    public Outcome ingest(Message message) {
        Optional<String> owner = message.header("owner").map(String::strip).filter(o -> !o.isEmpty());
        try {
            return stored(message, owner);
        } catch (ImageScalerException e) {
            if (e.status() >= 500 || e instanceof Conflict) {
                LOG.warn("Kafka message {} not ingested now ({}): {}", message.position(), e.status(), e.getMessage());
                throw e;
            }
            return refused(message, owner, e);
        }
    }

    private Stored stored(Message message, Optional<String> ownerHeader) {
        String owner = ownerHeader.orElseThrow(() -> new InvalidRequest(
                "the message has no owner header: set the header 'owner' to the images' owner"));
        if (owner.length() > MAX_OWNER_LENGTH || owner.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequest("the owner header must be 1 to " + MAX_OWNER_LENGTH
                    + " characters without control characters");
        }
        Optional<String> email = message.header("email").map(String::strip).filter(e -> !e.isEmpty())
                .map(notifications::validateEmail);
        Source source = source(message);
        var result = idempotency.call("kafka#" + owner, Optional.of(idempotencyKey(message)), message.value(),
                bind -> intake.upload(owner, source.bytes(), Intake.Via.KAFKA, bind), ImageRecord::id,
                this::replayable);
        ImageRecord record = result.value();
        if (result.replayed()) {
            LOG.info("Kafka message {} delivered again: image {} was made by an earlier delivery", message.position(),
                    record.id());
        } else {
            LOG.info("Kafka message {} ingested: image {} is {}", message.position(), record.id(), record.status());
            email.ifPresent(to -> {
                ObjectNode body = RecordJson.node(record);
                body.put("event", "image.processed");
                notifications.processed(record, body.toString(), Optional.empty(), Optional.of(to));
            });
        }
        return new Stored(record, result.replayed());
    }

    /** Where the image's bytes come from: the value itself, or what it refers to (fetched on first run only). */
    private interface Source {
        byte[] bytes();
    }

    private Source source(Message message) {
        String type = message.header("content-type").map(t -> t.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
                .orElse("");
        byte[] value = message.value();
        if (value.length == 0) {
            throw new InvalidRequest("the message has no value: send the image bytes, or a JSON reference with "
                    + "content-type application/json");
        }
        if (type.isEmpty() || type.startsWith("image/") || type.equals("application/octet-stream")) {
            if (value.length > settings.maxInlineBytes()) {
                throw new PayloadTooLarge("the inline image is " + value.length + " bytes; a message carries at most "
                        + settings.maxInlineBytes() + " (send a larger image as a reference {\"url\":\"https://...\"} "
                        + "or {\"s3\":{...}})");
            }
            return () -> value;
        }
        if (type.equals("application/json")) {
            Reference reference = reference(value);
            return reference::fetch;
        }
        throw new UnsupportedImage("content-type " + type + " is neither an image (image/*) nor a JSON reference "
                + "(application/json)");
    }

    /** A parsed reference, checked before anything is claimed or fetched. */
    private interface Reference {
        byte[] fetch();
    }

    private Reference reference(byte[] value) {
        JsonNode json;
        try {
            json = JSON.readTree(value);
        } catch (IOException e) {
            throw new InvalidRequest("the reference is not JSON: send {\"url\":\"https://...\"} or "
                    + "{\"s3\":{\"bucket\":\"..\",\"key\":\"..\"}}");
        }
        if (json != null && json.path("url").isTextual()) {
            URI url = checkedUrl(json.get("url").asText());
            return () -> web.fetch(url, settings.maxReferenceBytes());
        }
        if (json != null && json.path("s3").isObject()) {
            String bucket = json.path("s3").path("bucket").asText("");
            String key = json.path("s3").path("key").asText("");
            if (bucket.isBlank() || key.isBlank()) {
                throw new InvalidRequest("an S3 reference needs both bucket and key: {\"s3\":{\"bucket\":\"..\",\"key\":\"..\"}}");
            }
            if (!settings.s3Buckets().contains(bucket)) {
                throw new Forbidden("bucket " + bucket + " is not one this deployment reads images from "
                        + "(KAFKA_S3_BUCKETS)");
            }
            return () -> buckets.read(bucket, key, settings.maxReferenceBytes()).orElseThrow(() -> new NotFound(
                    "s3://" + bucket + "/" + key + " does not exist"));
        }
        throw new InvalidRequest("the reference names no image: send {\"url\":\"https://...\"} or "
                + "{\"s3\":{\"bucket\":\"..\",\"key\":\"..\"}}");
    }

    private URI checkedUrl(String text) {
        URI url;
        try {
            url = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest("the reference's url is not a URL");
        }
        if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null || text.length() > 2048) {
            throw new InvalidRequest("the reference's url must be an absolute https URL of at most 2048 characters");
        }
        if (!settings.allowPrivateHosts() && Webhooks.privateHost(url.getHost())) {
            throw new Forbidden("the reference's host " + url.getHost()
                    + " is a private, loopback or link-local address");
        }
        return url;
    }

    /**
     * The message key when there is one (a producer's retry of the same image carries it), made an
     * Idempotency-Key: as is when it is 1..255 visible ASCII characters, else its SHA-256. Without a key,
     * the message's position.
     */
    static String idempotencyKey(Message message) {
        if (message.key().isEmpty() || message.key().get().length == 0) {
            return message.position();
        }
        byte[] key = message.key().get();
        boolean visible = key.length <= 255;
        for (byte b : key) {
            visible &= b > 0x20 && b < 0x7f;
        }
        return visible ? new String(key, StandardCharsets.US_ASCII) : "sha256:" + HexFormat.of().formatHex(sha256(key));
    }

    /**
     * An earlier delivery's image once it is finished; empty while it is still STORING (the claim then
     * decides: retry later, or run again once that delivery is known dead). An image deleted since is done.
     */
    private Optional<ImageRecord> replayable(ImageId id) {
        return records.get(id).filter(r -> r.status() != ImageStatus.STORING);
    }

    private Refused refused(Message message, Optional<String> owner, ImageScalerException e) {
        ObjectNode value = JSON.createObjectNode();
        value.put("reason", e.getMessage());
        value.put("type", Problems.TYPE_BASE + e.slug());
        value.put("status", e.status());
        value.put("topic", message.topic());
        value.put("partition", message.partition());
        value.put("offset", message.offset());
        if (owner.isPresent()) {
            value.put("owner", owner.get());
        } else {
            value.putNull("owner");
        }
        String text = value.toString();
        failures.publish(message, text.getBytes(StandardCharsets.UTF_8));
        LOG.warn("Kafka message {} refused ({} {}): {}; sent to the failure topic", message.position(), e.status(),
                e.slug(), e.getMessage());
        tellRefused(message, e.getMessage());
        return new Refused(e.getMessage(), e.status(), text);
    }

    /** The optional email of a refused message, when its address is usable at all. */
    private void tellRefused(Message message, String reason) {
        Optional<String> email = message.header("email").map(String::strip).filter(e -> !e.isEmpty());
        if (email.isEmpty()) {
            return;
        }
        try {
            notifications.validateEmail(email.get());
        } catch (ImageScalerException bad) {
            return;
        }
        notifications.refused(email.get(), "from Kafka message " + message.position(), reason);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
