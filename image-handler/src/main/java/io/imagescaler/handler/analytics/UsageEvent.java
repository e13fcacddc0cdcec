package io.imagescaler.handler.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;

/**
 * One line of the analytics lake: something the service did, for whom, at what cost. The JSON field
 * names are the Glue table's columns (cdk {@code Analytics}) and the DuckDB view's (local edge); a field
 * that does not apply to the event type is absent (NULL in SQL).
 *
 * @param type       what happened
 * @param owner      whose image it is (the uploader's subject)
 * @param contentType the original's media type (on every event, so any event groups by type)
 * @param format     the original's format for uploads, verdicts and deletes; the output format for renders
 * @param bytes      the original's size (upload, delete) or the variant's (render, sr)
 * @param width      pixels of the original (upload) or of the variant (render, sr)
 * @param transform  the canonical transform segment of a variant
 * @param durationMs render time (render) or time in the SR endpoint (sr)
 * @param verdict    ALLOW, BLUR or REJECT (moderation; also carried on upload)
 * @param source     how it came: sync, multipart, remoderation; the SR method (sr-x4); the job kind
 * @param jobId      for job events
 * @param jobStatus  QUEUED, PROCESSING, PROCESSED, DELIVERED, FAILED, NOT_DELIVERED
 */
public record UsageEvent(String id, Instant time, Type type, String owner, String imageId, String contentType,
                         String format, Long bytes, Integer width, Integer height, String transform,
                         Long durationMs, String verdict, String reason, String source, String jobId,
                         String jobStatus) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Millisecond ISO-8601 in UTC: sorts as text, and Athena's from_iso8601_timestamp and DuckDB's cast read it. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    public enum Type {
        UPLOAD, MODERATION, RENDER, SR, DELETE, JOB;

        public String column() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The UTC day the event's partition ({@code dt=}) is named after. */
    public LocalDate day() {
        return LocalDate.ofInstant(time, ZoneOffset.UTC);
    }

    /** An empty event of a type, at a time; the fields are filled by {@link Builder}. */
    public static Builder at(Instant time, Type type) {
        return new Builder(time, type);
    }

    /** The event as one JSON object, no newline (a Firehose record or a line of a local file adds it). */
    public String json() {
        ObjectNode o = JSON.createObjectNode();
        o.put("event_id", id);
        o.put("event_time", TIME.format(time));
        o.put("event_type", type.column());
        put(o, "owner", owner);
        put(o, "image_id", imageId);
        put(o, "content_type", contentType);
        put(o, "format", format);
        if (bytes != null) o.put("bytes", bytes);
        if (width != null) o.put("width", width);
        if (height != null) o.put("height", height);
        put(o, "transform", transform);
        if (durationMs != null) o.put("duration_ms", durationMs);
        put(o, "verdict", verdict);
        put(o, "reason", reason);
        put(o, "source", source);
        put(o, "job_id", jobId);
        put(o, "job_status", jobStatus);
        return o.toString();
    }

    private static void put(ObjectNode o, String name, String value) {
        if (value != null) o.put(name, value);
    }

    /** The short format name of a media type: image/jpeg is jpg, image/svg+xml is svg. */
    public static String formatOf(String mediaType) {
        if (mediaType == null) return null;
        String sub = mediaType.substring(mediaType.indexOf('/') + 1).toLowerCase(Locale.ROOT);
        int plus = sub.indexOf('+');
        if (plus >= 0) sub = sub.substring(0, plus);
        return sub.equals("jpeg") ? "jpg" : sub;
    }

    /** Fills an event field by field; {@link #build()} draws its id. */
    public static final class Builder {
        private final Instant time;
        private final Type type;
        private String owner, imageId, contentType, format, transform, verdict, reason, source, jobId, jobStatus;
        private Long bytes, durationMs;
        private Integer width, height;

        private Builder(Instant time, Type type) {
            this.time = time;
            this.type = type;
        }

        public Builder image(String owner, String imageId, String contentType) {
            this.owner = owner;
            this.imageId = imageId;
            this.contentType = contentType;
            this.format = formatOf(contentType);
            return this;
        }

        public Builder format(String format) {
            this.format = format;
            return this;
        }

        public Builder size(long bytes, int width, int height) {
            this.bytes = bytes;
            this.width = width;
            this.height = height;
            return this;
        }

        public Builder transform(String canonical) {
            this.transform = canonical;
            return this;
        }

        public Builder durationMs(long ms) {
            this.durationMs = ms;
            return this;
        }

        public Builder verdict(String verdict, String reason) {
            this.verdict = verdict;
            this.reason = reason;
            return this;
        }

        public Builder source(String source) {
            this.source = source;
            return this;
        }

        public Builder job(String jobId, String jobStatus) {
            this.jobId = jobId;
            this.jobStatus = jobStatus;
            return this;
        }

        public UsageEvent build() {
            return new UsageEvent(UUID.randomUUID().toString(), time, type, owner, imageId, contentType, format,
                    bytes, width, height, transform, durationMs, verdict, reason, source, jobId, jobStatus);
        }
    }
}
