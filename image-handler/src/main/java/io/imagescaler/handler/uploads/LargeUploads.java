package io.imagescaler.handler.uploads;

import io.imagescaler.handler.config.HandlerConfig;
import io.imagescaler.handler.error.ImageScalerException;
import io.imagescaler.handler.error.ImageScalerException.Conflict;
import io.imagescaler.handler.error.ImageScalerException.InvalidRequest;
import io.imagescaler.handler.error.ImageScalerException.NotFound;
import io.imagescaler.handler.error.ImageScalerException.PayloadTooLarge;
import io.imagescaler.handler.error.ImageScalerException.UpstreamFailure;
import io.imagescaler.handler.idempotency.IdempotentRequests;
import io.imagescaler.handler.images.ImageRecord;
import io.imagescaler.handler.images.ImageStatus;
import io.imagescaler.handler.moderation.BlurredMaster;
import io.imagescaler.handler.moderation.ModerationCheck;
import io.imagescaler.handler.moderation.ModerationVerdict;
import io.imagescaler.handler.notification.UploadNotifications;
import io.imagescaler.handler.stats.Counter;
import io.imagescaler.handler.stats.Usage;
import io.imagescaler.handler.storage.ImageRecords;
import io.imagescaler.handler.storage.Incoming;
import io.imagescaler.handler.storage.Originals;
import io.imagescaler.handler.storage.UploadSessions;
import io.imagescaler.handler.storage.UploadSessions.Session;
import io.imagescaler.handler.storage.UploadSessions.State;
import io.imagescaler.handler.transform.Rendered;
import io.imagescaler.handler.transform.SourceInfo;
import io.imagescaler.handler.transform.TransformEngine;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.ImageId;
import io.imagescaler.spec.TransformSpec;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads too large for one request: the client gets presigned S3 part URLs, uploads the parts straight
 * to {@code incoming/{id}}, and completes; processing then continues asynchronously, started by the S3
 * ObjectCreated event (on AWS S3 delivers it to the Lambda; locally the edge does). Processing checks
 * the header and limits, moderates, moves the object to {@code originals/} (or {@code quarantine/}),
 * and finishes the record. Abandoned uploads expire: the record and the session carry a TTL, and the
 * bucket's lifecycle aborts incomplete multipart uploads (a CDK rule).
 */
public final class LargeUploads {
    private static final Logger LOG = LoggerFactory.getLogger(LargeUploads.class);
    static final long MIN_PART_BYTES = 8L * 1024 * 1024;
    /** Part URLs per answer: above this the part size grows, so the answer stays well under 1 MB. */
    static final int MAX_PART_URLS = 1000;
    static final Duration LIFETIME = Duration.ofHours(24);
    static final Duration URL_LIFETIME = Duration.ofHours(6);
    private static final TransformSpec DECODE_CHECK = TransformSpec.builder().width(32).height(32).build();

    private final HandlerConfig config;
    private final Incoming incoming;
    private final UploadSessions sessions;
    private final Originals originals;
    private final ImageRecords records;
    private final TransformEngine engine;
    private final ModerationCheck moderation;
    private final Usage usage;
    private final IdempotentRequests idempotency;
    private final UploadNotifications notifications;
    private final Clock clock;

    public LargeUploads(HandlerConfig config, Incoming incoming, UploadSessions sessions, Originals originals,
                        ImageRecords records, TransformEngine engine, ModerationCheck moderation, Usage usage,
                        IdempotentRequests idempotency, UploadNotifications notifications, Clock clock) {
        this.config = config;
        this.incoming = incoming;
        this.sessions = sessions;
        this.originals = originals;
        this.records = records;
        this.engine = engine;
        this.moderation = moderation;
        this.usage = usage;
        this.idempotency = idempotency;
        this.notifications = notifications;
        this.clock = clock;
    }

    public record Started(ImageRecord record, String uploadId, long partSize, List<URI> partUrls,
                          Instant expiresAt) {
    }

    /** An answer to {@code POST /v1/uploads}; {@code replayed} for a retry under the same Idempotency-Key. */
    public record Start(Started started, boolean replayed) {
    }

    /**
     * {@link #start(long, String)} under an optional {@code Idempotency-Key}: a retry gets the same upload
     * (id, upload id, part size) with freshly presigned part URLs, while the upload is still open.
     */
    public Start start(long declaredBytes, String owner, Optional<String> webhook, Optional<String> email,
                       Optional<String> idempotencyKey, byte[] request) {
        var result = idempotency.call("uploads#" + owner, idempotencyKey, request,
                () -> start(declaredBytes, owner, webhook, email), s -> s.record().id(), this::again);
        return new Start(result.value(), result.replayed());
    }

    private Started again(ImageId id) {
        Session s = sessions.get(id).filter(x -> x.state() == State.OPEN).orElseThrow(() -> new Conflict(
                "the upload created with this Idempotency-Key is no longer open"));
        ImageRecord record = records.get(id).orElseThrow(() -> new Conflict(
                "the upload created with this Idempotency-Key has expired"));
        return new Started(record, s.uploadId(), s.partSize(),
                incoming.partUrls(id, s.uploadId(), s.parts(), URL_LIFETIME), s.expiresAt());
    }

    /**
     * Reserves an image id and opens the multipart upload for {@code declaredBytes}.
     *
     * @param webhook a URL told (signed JSON POST) when processing ends
     * @param email   an address told when processing ends
     */
    public Started start(long declaredBytes, String owner, Optional<String> webhook, Optional<String> email) {
        Optional<URI> hook = webhook.map(notifications::validateWebhook);
        Optional<String> mail = email.map(notifications::validateEmail);
        if (declaredBytes <= 0) {
            throw new InvalidRequest("bytes must be the size of the file to upload, a positive number");
        }
        if (declaredBytes > config.maxLargeUploadBytes()) {
            throw new PayloadTooLarge("the file is " + declaredBytes + " bytes; uploads take at most "
                    + config.maxLargeUploadBytes() + " bytes");
        }
        long partSize = partSizeFor(declaredBytes);
        int parts = (int) Math.ceilDiv(declaredBytes, partSize);
        Instant now = clock.instant();
        Instant expires = now.plus(LIFETIME);
        ImageRecord record = null;
        for (int attempt = 0; attempt < 3 && record == null; attempt++) {
            ImageRecord candidate = new ImageRecord(ImageId.random(), owner, ImageStatus.UPLOADING,
                    "application/octet-stream", 0, 0, 0, declaredBytes, "", now, Optional.of(expires),
                    Optional.empty(), Optional.empty());
            if (records.createIfAbsent(candidate)) record = candidate;
        }
        if (record == null) {
            throw new UpstreamFailure("could not draw an unused image id", null);
        }
        ImageId id = record.id();
        try {
            String uploadId = incoming.begin(id, "application/octet-stream");
            sessions.create(new Session(id, owner, uploadId, declaredBytes, partSize, parts, State.OPEN, expires,
                    hook, mail));
            return new Started(record, uploadId, partSize, incoming.partUrls(id, uploadId, parts, URL_LIFETIME),
                    expires);
        } catch (RuntimeException e) {
            records.delete(id);
            throw e instanceof ImageScalerException ise ? ise
                    : new UpstreamFailure("the upload could not be opened; nothing was kept, try again", e);
        }
    }

    static long partSizeFor(long bytes) {
        long mib = 1024L * 1024;
        long size = Math.max(MIN_PART_BYTES, Math.ceilDiv(bytes, MAX_PART_URLS));
        return Math.ceilDiv(size, mib) * mib;
    }

    /**
     * Completes the multipart upload. The part list must name every part 1..n once, in order, with the
     * ETag its upload answered. The image is PROCESSING afterwards.
     */
    public ImageRecord complete(String idText, List<Incoming.Part> parts) {
        ImageId id = parseId(idText);
        Session session = sessions.get(id).orElseThrow(() -> new NotFound("no open upload with id " + id));
        if (session.state() != State.OPEN) {
            throw new Conflict("upload " + id + " is already " + session.state().name().toLowerCase()
                    + "; it cannot be completed again");
        }
        checkPartList(parts, session.parts());
        if (!sessions.transition(id, State.OPEN, State.COMPLETING)) {
            throw new Conflict("upload " + id + " is being completed by another request");
        }
        try {
            incoming.complete(id, session.uploadId(), parts);
        } catch (RuntimeException e) {
            sessions.transition(id, State.COMPLETING, State.OPEN);   // the client may fix the list and retry
            throw e;
        }
        sessions.transition(id, State.COMPLETING, State.COMPLETED);
        if (!records.transition(id, ImageStatus.UPLOADING, ImageStatus.PROCESSING)) {
            throw new Conflict("image " + id + " expired or changed before completion");
        }
        return records.get(id).orElseThrow();
    }

    private static void checkPartList(List<Incoming.Part> parts, int expected) {
        if (parts == null || parts.isEmpty()) {
            throw new InvalidRequest("the part list is empty: send {\"parts\":[{\"partNumber\":1,\"etag\":\"...\"},...]}");
        }
        if (parts.size() != expected) {
            throw new InvalidRequest("the part list has " + parts.size() + " parts; this upload has " + expected
                    + " (parts 1.." + expected + ")");
        }
        for (int i = 0; i < parts.size(); i++) {
            Incoming.Part p = parts.get(i);
            if (p.number() != i + 1) {
                throw new InvalidRequest("part " + (i + 1) + " of the list is numbered " + p.number()
                        + "; list parts 1.." + expected + " once each, in ascending order");
            }
            if (p.etag() == null || p.etag().isBlank()) {
                throw new InvalidRequest("part " + p.number() + " has no etag (the ETag header of its upload)");
            }
        }
    }

    /**
     * Processes a completed upload (the S3 ObjectCreated event for {@code incoming/{id}}). Redelivered
     * events for an image that is no longer PROCESSING are ignored. Bad images end FAILED with the
     * reason, and their object is deleted.
     */
    public void process(ImageId id) {
        Optional<ImageRecord> record = records.get(id);
        if (record.isEmpty() || record.get().status() != ImageStatus.PROCESSING) {
            LOG.info("object created for {} ignored: the image is {}", id,
                    record.map(r -> r.status().name()).orElse("unknown"));
            return;
        }
        long size = incoming.size(id).orElse(-1L);
        if (size < 0) {
            LOG.warn("object created for {} but incoming/{} is gone", id, id);
            return;
        }
        if (size > config.maxLargeUploadBytes()) {
            fail(id, "the uploaded object is " + size + " bytes; at most " + config.maxLargeUploadBytes()
                    + " are processed");
            return;
        }
        byte[] bytes = incoming.read(id);
        SourceInfo info;
        ModerationVerdict verdict;
        Optional<Rendered> blurred;
        try {
            var limits = config.limitsFor(bytes);
            info = engine.probe(bytes, limits);
            engine.render(bytes, info, DECODE_CHECK, ImageFormat.JPG, limits);
            verdict = moderation.check(bytes, info, limits);
            blurred = verdict.action() == ModerationVerdict.Action.BLUR
                    ? Optional.of(BlurredMaster.render(engine, bytes, info, limits)) : Optional.empty();
        } catch (ImageScalerException e) {
            if (e.status() >= 500) throw e;       // a dependency failed: let the event be retried
            fail(id, e.title() + ": " + e.getMessage());
            return;
        }
        switch (verdict.action()) {
            case ALLOW -> incoming.moveTo(id, Incoming.Destination.ORIGINALS);
            case BLUR -> {
                incoming.moveTo(id, Incoming.Destination.QUARANTINE);
                originals.put(id, blurred.orElseThrow().bytes(), ImageFormat.JPG.mediaType());
            }
            case REJECT -> incoming.moveTo(id, Incoming.Destination.QUARANTINE);
        }
        records.describe(id, info.format().mediaType(), info.displayWidth(), info.displayHeight(), info.frames(),
                bytes.length, sha256(bytes));
        ImageStatus outcome = switch (verdict.action()) {
            case ALLOW -> ImageStatus.READY;
            case BLUR -> ImageStatus.BLURRED;
            case REJECT -> ImageStatus.REJECTED;
        };
        records.finish(id, ImageStatus.PROCESSING, outcome, verdict,
                outcome == ImageStatus.READY ? null : verdict.reason());
        Map<Counter, Long> counts = new EnumMap<>(Map.of(Counter.UPLOADS, 1L, Counter.BYTES, (long) bytes.length));
        if (outcome != ImageStatus.READY) counts.put(Counter.FLAGGED, 1L);
        usage.count(counts);
        LOG.info("large upload {} processed: {} bytes, {}", id, bytes.length, outcome);
        notifyProcessed(id);
    }

    private void fail(ImageId id, String reason) {
        records.finish(id, ImageStatus.PROCESSING, ImageStatus.FAILED, null, reason);
        incoming.delete(id);
        LOG.info("large upload {} FAILED: {}", id, reason);
        notifyProcessed(id);
    }

    /** Tells the uploader (webhook and/or email, as asked at the start) how processing ended. */
    private void notifyProcessed(ImageId id) {
        Optional<Session> session = sessions.get(id);
        Optional<ImageRecord> record = records.get(id);
        if (session.isEmpty() || record.isEmpty()) {
            return;
        }
        var body = io.imagescaler.handler.api.RecordJson.node(record.get());
        body.put("event", "image.processed");
        notifications.processed(record.get(), body.toString(), session.get().webhook(), session.get().email());
    }

    private static ImageId parseId(String idText) {
        if (!ImageId.isValid(idText)) {
            throw new NotFound("'" + (idText.length() > 60 ? idText.substring(0, 60) + "…" : idText)
                    + "' is not an upload id");
        }
        return new ImageId(idText);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
