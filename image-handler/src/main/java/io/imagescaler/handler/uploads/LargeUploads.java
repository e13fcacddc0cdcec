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
import io.imagescaler.handler.intake.Intake;
import io.imagescaler.handler.notification.UploadNotifications;
import io.imagescaler.handler.storage.ImageRecords;
import io.imagescaler.handler.storage.Incoming;
import io.imagescaler.handler.storage.Originals;
import io.imagescaler.handler.storage.UploadSessions;
import io.imagescaler.handler.storage.UploadSessions.Session;
import io.imagescaler.handler.storage.UploadSessions.State;
import io.imagescaler.spec.ImageId;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads too large for one request: the client gets presigned S3 part URLs, uploads the parts straight
 * to {@code incoming/{id}}, and completes; processing then continues asynchronously, started by the S3
 * ObjectCreated event (on AWS S3 delivers it to the upload processor function; locally the edge does).
 * Processing checks the header and limits, moderates, copies the object inside the store to
 * {@code originals/} (or {@code quarantine/}), and finishes the record, in memory bounded whatever the
 * object's size. Abandoned uploads expire: the record and the session carry a TTL, the bucket's
 * lifecycle aborts incomplete multipart uploads (a CDK rule), and the {@link #sweep sweeper} finishes
 * or fails uploads whose completion event was lost.
 */
public final class LargeUploads {
    private static final Logger LOG = LoggerFactory.getLogger(LargeUploads.class);
    static final long MIN_PART_BYTES = 8L * 1024 * 1024;
    /** Part URLs per answer: above this the part size grows, so the answer stays well under 1 MB. */
    static final int MAX_PART_URLS = 1000;
    static final Duration LIFETIME = Duration.ofHours(24);
    static final Duration URL_LIFETIME = Duration.ofHours(6);

    private final HandlerConfig config;
    private final Incoming incoming;
    private final UploadSessions sessions;
    private final Originals originals;
    private final ImageRecords records;
    private final Intake intake;
    private final IdempotentRequests idempotency;
    private final UploadNotifications notifications;
    private final Clock clock;

    public LargeUploads(HandlerConfig config, Incoming incoming, UploadSessions sessions, Originals originals,
                        ImageRecords records, Intake intake, IdempotentRequests idempotency,
                        UploadNotifications notifications, Clock clock) {
        this.config = config;
        this.incoming = incoming;
        this.sessions = sessions;
        this.originals = originals;
        this.records = records;
        this.intake = intake;
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
     *
     * <p>Memory stays bounded whatever the object's size: the object is streamed to a temporary file
     * (hashed on the way), the header is probed from the file mapped read-only, the file is decoded once,
     * into the moderation copy (JPEG shrunk in the DCT domain while streaming; other formats within the
     * pixel limits; a flagged image's blurred master is made from that copy), and the object reaches
     * {@code originals/} by a server-side copy. The
     * incoming object is deleted only after the record is final, so processing that dies half-way is
     * simply redone (by a redelivered event or the {@link #sweep sweeper}).
     */
    public void process(ImageId id) {
        Optional<ImageRecord> record = records.get(id);
        if (record.isEmpty() || record.get().status() != ImageStatus.PROCESSING) {
            LOG.info("object created for {} ignored: the image is {}", id,
                    record.map(r -> r.status().name()).orElse("unknown"));
            return;
        }
        Optional<Incoming.Uploaded> uploaded = incoming.uploaded(id);
        if (uploaded.isEmpty()) {
            LOG.warn("object created for {} but incoming/{} is gone", id, id);
            return;
        }
        long size = uploaded.get().bytes();
        if (size > config.maxLargeUploadBytes()) {
            fail(id, "the uploaded object is " + size + " bytes; at most " + config.maxLargeUploadBytes()
                    + " are processed");
            return;
        }
        Path file = temporaryFile(size);
        try {
            long t0 = System.nanoTime();
            String sha256 = download(id, file);
            LOG.info("large upload {}: {} bytes streamed to {} in {} ms", id, size, file,
                    (System.nanoTime() - t0) / 1_000_000);
            processFile(record.get(), file, size, sha256);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("temporary file {} not deleted", file, e);
            }
        }
    }

    /**
     * The intake's checks on the file, then its writes with the bytes copied inside the store from
     * {@code incoming/} (no bytes pass through this function, whatever the size).
     */
    private void processFile(ImageRecord processing, Path file, long size, String sha256) {
        ImageId id = processing.id();
        Intake.Examined examined;
        try {
            examined = intake.examine(file);
        } catch (ImageScalerException e) {
            if (e.status() >= 500) throw e;       // a dependency failed: let the event be retried
            fail(id, e.title() + ": " + e.getMessage());
            return;
        }
        Optional<ImageRecord> done = intake.complete(processing, copiedFromIncoming(), examined, size, sha256);
        if (done.isEmpty()) {
            LOG.info("large upload {} was finished by another delivery meanwhile", id);
            return;
        }
        incoming.delete(id);
        LOG.info("large upload {} processed: {} bytes, {}", id, size, done.get().status());
        notifyProcessed(id);
    }

    /** The original as the intake writes it: a server-side copy of {@code incoming/{id}}. */
    private Intake.Original copiedFromIncoming() {
        return new Intake.Original() {
            @Override
            public void toMaster(ImageId id, String contentType) {
                incoming.copyTo(id, Incoming.Destination.ORIGINALS, contentType);
            }

            @Override
            public void toQuarantine(ImageId id, String contentType) {
                incoming.copyTo(id, Incoming.Destination.QUARANTINE, contentType);
            }
        };
    }

    /** A file for the object in the processing directory (Lambda: /tmp, up to 10 GB of ephemeral storage). */
    private Path temporaryFile(long size) {
        try {
            Files.createDirectories(config.processingDir());
            long free = Files.getFileStore(config.processingDir()).getUsableSpace();
            if (free < size) {
                throw new UpstreamFailure("the processing directory " + config.processingDir() + " has " + free
                        + " bytes free, the upload needs " + size + " (raise the ephemeral storage)", null);
            }
            return Files.createTempFile(config.processingDir(), "upload-", ".part");
        } catch (IOException e) {
            throw new UpstreamFailure("no temporary file for processing", e);
        }
    }

    /** Streams the object into {@code file}; returns its SHA-256 (hex), computed on the way. */
    private String download(ImageId id, Path file) {
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(incoming.open(id), digest)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UpstreamFailure("the uploaded object could not be read", e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** What one sweep did; {@code undone}: provisional records (and their objects) removed. */
    public record Swept(int processed, int failed, int waiting, int undone) {
        public Swept(int processed, int failed, int waiting) {
            this(processed, failed, waiting, 0);
        }
    }

    /**
     * Finishes uploads whose completion event was lost (or whose processing died): run on a schedule
     * (an EventBridge rule on AWS; {@code POST /_local/sweep} on the local edge). An image is swept only
     * when it has been stuck longer than {@code SWEEP_AFTER_SECONDS}, which exceeds the processing
     * function's timeout, so a sweep never overlaps a live processing of the same image.
     * <ul>
     *   <li>PROCESSING, the completed object still in {@code incoming/}: processed now.</li>
     *   <li>PROCESSING, no object: FAILED (the object was lost).</li>
     *   <li>UPLOADING past its expiry with a completed object (completion died between S3 and the
     *       record): moved to PROCESSING and processed.</li>
     *   <li>UPLOADING past its expiry, no object: undone as abandoned: the record goes (the bucket's
     *       lifecycle rule discards the parts of the multipart upload), so no FAILED record is left for
     *       an upload nobody finished.</li>
     *   <li>STORING (a synchronous upload's provisional record) past its expiry: the upload died
     *       between reserving its id and finishing its record (the client never got a 201). Its objects
     *       ({@code originals/}, {@code quarantine/}) and the record are deleted; the client's retry with
     *       its {@code Idempotency-Key} makes the image again.</li>
     * </ul>
     */
    public Swept sweep() {
        Instant now = clock.instant();
        int processed = 0;
        int failed = 0;
        int waiting = 0;
        int undone = 0;
        for (ImageRecords.Unfinished u : records.unfinished()) {
            try {
                if (u.status() == ImageStatus.STORING) {
                    Instant expiry = u.expiresAt().orElse(u.createdAt());
                    if (expiry.plus(config.sweepAfter()).isAfter(now)) {
                        waiting++;
                    } else {
                        originals.delete(u.id());
                        records.delete(u.id());
                        LOG.info("sweeper: {} was still STORING at {}: its upload died; its objects and record "
                                + "are deleted", u.id(), expiry);
                        undone++;
                    }
                    continue;
                }
                Optional<Incoming.Uploaded> object = incoming.uploaded(u.id());
                if (u.status() == ImageStatus.PROCESSING) {
                    Instant since = object.map(Incoming.Uploaded::completedAt).orElse(u.createdAt());
                    if (since.plus(config.sweepAfter()).isAfter(now)) {
                        waiting++;
                    } else if (object.isPresent()) {
                        LOG.info("sweeper: {} PROCESSING since {}, its event was lost; processing it", u.id(), since);
                        process(u.id());
                        processed++;
                    } else {
                        failed += fail(u.id(), "the uploaded object was lost before it was processed") ? 1 : 0;
                    }
                } else {
                    Instant expiry = u.expiresAt().orElse(u.createdAt().plus(LIFETIME));
                    if (expiry.plus(config.sweepAfter()).isAfter(now)) {
                        waiting++;
                    } else if (object.isPresent()
                            && records.transition(u.id(), ImageStatus.UPLOADING, ImageStatus.PROCESSING)) {
                        LOG.info("sweeper: {} was completed in S3 but not in its record; processing it", u.id());
                        process(u.id());
                        processed++;
                    } else if (object.isEmpty() && records.transition(u.id(), ImageStatus.UPLOADING,
                            ImageStatus.DELETING)) {
                        // DELETING first: a completion racing the sweep now fails instead of reviving it
                        incoming.delete(u.id());
                        records.delete(u.id());
                        LOG.info("sweeper: {} abandoned (not completed before {}): record removed", u.id(), expiry);
                        undone++;
                    }
                }
            } catch (RuntimeException e) {
                // one bad image must not stop the sweep; the next run tries it again
                LOG.warn("sweeper: {} not swept", u.id(), e);
            }
        }
        LOG.info("sweep: {} processed, {} failed, {} undone, {} still within their time", processed, failed, undone,
                waiting);
        return new Swept(processed, failed, waiting, undone);
    }

    /** @return false when the image was no longer PROCESSING (another delivery finished it) */
    private boolean fail(ImageId id, String reason) {
        if (!intake.fail(id, reason)) {
            LOG.info("large upload {} was finished by another delivery meanwhile", id);
            return false;
        }
        incoming.delete(id);
        LOG.info("large upload {} FAILED: {}", id, reason);
        notifyProcessed(id);
        return true;
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

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
