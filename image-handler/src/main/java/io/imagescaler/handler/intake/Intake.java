package io.imagescaler.handler.intake;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagescaler.handler.analytics.Usage;
import io.imagescaler.handler.config.HandlerConfig;
import io.imagescaler.handler.error.ImageScalerException.UpstreamFailure;
import io.imagescaler.handler.events.DomainEvent;
import io.imagescaler.handler.events.Events;
import io.imagescaler.handler.images.ImageRecord;
import io.imagescaler.handler.images.ImageStatus;
import io.imagescaler.handler.moderation.BlurredMaster;
import io.imagescaler.handler.moderation.ModerationCheck;
import io.imagescaler.handler.moderation.ModerationVerdict;
import io.imagescaler.handler.storage.ImageRecords;
import io.imagescaler.handler.storage.Originals;
import io.imagescaler.handler.transform.Limits;
import io.imagescaler.handler.transform.Rendered;
import io.imagescaler.handler.transform.SourceInfo;
import io.imagescaler.handler.transform.StageTimings;
import io.imagescaler.handler.transform.TransformEngine;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.ImageId;
import io.imagescaler.spec.TransformSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one intake every original goes through, however it arrived (a request body, a large upload's file,
 * a Kafka message) and when an admin re-moderates it: the checks before any write (header and limits,
 * a decode, moderation, the blurred master a flagged image needs), the objects a verdict writes, the
 * record's provisional reservation and its final status, the undo when a step fails, the usage counters,
 * and the events ({@code image_uploaded}, {@code image_moderated}) once the record is final.
 *
 * <p>What each caller keeps is only its own: where the bytes come from (see {@link Original}), its limits
 * and their wording, and what it does after (notify, delete the incoming object, purge caches).
 *
 * <p>The verdict decides status and objects, the same for every path:
 * <ul>
 *   <li>ALLOW: READY; the original is the served master.</li>
 *   <li>BLUR: BLURRED; the original goes to quarantine first, then the blurred copy becomes the master
 *       (so the unblurred original is never lost between the two writes).</li>
 *   <li>REJECT: REJECTED; the original goes to quarantine, and there is no master.</li>
 * </ul>
 */
public final class Intake {
    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);
    private static final int ID_ATTEMPTS = 3;
    /** The throwaway render that proves, at upload, that the pixels decode (catches truncation). */
    private static final TransformSpec DECODE_CHECK = TransformSpec.builder().width(32).height(32).build();

    private final HandlerConfig config;
    private final TransformEngine engine;
    private final ModerationCheck moderation;
    private final Originals originals;
    private final ImageRecords records;
    private final Usage usage;
    private final Events events;
    private final Clock clock;

    public Intake(HandlerConfig config, TransformEngine engine, ModerationCheck moderation, Originals originals,
                  ImageRecords records, Usage usage, Events events, Clock clock) {
        this.config = config;
        this.engine = engine;
        this.moderation = moderation;
        this.originals = originals;
        this.records = records;
        this.usage = usage;
        this.events = events;
        this.clock = clock;
    }

    /** How an original arrived, as the {@code image_uploaded} event and the usage counters name it. */
    public enum Via {
        SYNC("sync"), MULTIPART("multipart"), KAFKA("kafka");

        private final String label;

        Via(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * What the checks found, before anything is written.
     *
     * @param info    the original's header (format, display size, frames)
     * @param verdict the moderation verdict
     * @param blurred the blurred master, present exactly when the verdict is BLUR
     */
    public record Examined(SourceInfo info, ModerationVerdict verdict, Optional<Rendered> blurred) {

        /** The status the verdict gives the image. */
        public ImageStatus status() {
            return statusOf(verdict);
        }

        /** The record's status reason: none for ALLOW, the verdict's reason otherwise. */
        public String reason() {
            return reasonOf(verdict);
        }
    }

    /**
     * Where the unblurred original's bytes come from when the verdict's objects are written: from memory
     * ({@link #inMemory}), or copied inside the store (a large upload's {@code incoming/} object).
     */
    public interface Original {
        /** Writes the unblurred original as the served master ({@code originals/{id}}). */
        void toMaster(ImageId id, String contentType);

        /** Writes the unblurred original as the quarantine copy ({@code quarantine/{id}}). */
        void toQuarantine(ImageId id, String contentType);
    }

    /** An original held in memory: written with {@link Originals#put} and {@link Originals#putQuarantine}. */
    public Original inMemory(byte[] bytes) {
        return new Original() {
            @Override
            public void toMaster(ImageId id, String contentType) {
                originals.put(id, bytes, contentType);
            }

            @Override
            public void toQuarantine(ImageId id, String contentType) {
                originals.putQuarantine(id, bytes, contentType);
            }
        };
    }

    // ---------------------------------------------------------------- checks

    /**
     * The checks of a new original held in memory (a request body, a Kafka message): header and limits,
     * a throwaway decode that proves the pixels readable, moderation, and the blurred master a BLUR
     * verdict needs. Traced as the stages {@code decode-check} and {@code moderate}.
     *
     * @throws io.imagescaler.handler.error.ImageScalerException a 4xx kind for a bad image, UpstreamFailure
     *         when moderation could not answer
     */
    public Examined examine(byte[] original) {
        Limits limits = config.limitsFor(original);
        SourceInfo info = engine.probe(original, limits);
        StageTimings timings = new StageTimings();
        timings.time("decode-check", () -> engine.render(original, info, DECODE_CHECK, ImageFormat.JPG, limits));
        ModerationVerdict verdict = timings.time("moderate", () -> moderation.check(original, info, limits));
        return new Examined(info, verdict, blurredIfFlagged(verdict, original, info, limits));
    }

    /**
     * The checks of a stored original being moderated again: its header, moderation, and the blurred
     * master (the pixels were proved readable when it was uploaded).
     */
    public Examined reexamine(byte[] original) {
        Limits limits = config.limitsFor(original);
        SourceInfo info = engine.probe(original, limits);
        ModerationVerdict verdict = moderation.check(original, info, limits);
        return new Examined(info, verdict, blurredIfFlagged(verdict, original, info, limits));
    }

    /**
     * The checks of an original in a file (a large upload, any size), in bounded memory: the header is
     * probed from the file, which is decoded once, into the copy the model sees (at most 1600 px). That
     * decode proves the pixels readable, and the blurred master, which keeps no detail anyway, is made
     * from the copy.
     */
    public Examined examine(Path file) {
        Limits limits = config.limitsFor(head(file));
        SourceInfo info = engine.probe(file, limits);
        Rendered copy = engine.render(file, info, ModerationCheck.MODEL_COPY, ImageFormat.JPG, limits);
        LOG.info("{}: {} {}x{} decoded into the moderation copy ({})", file.getFileName(), info.format(),
                info.width(), info.height(), copy.timings().serverTiming());
        ModerationVerdict verdict = moderation.checkCopy(copy.bytes());
        Optional<Rendered> blurred = verdict.action() == ModerationVerdict.Action.BLUR
                ? Optional.of(BlurredMaster.render(engine, copy.bytes(), engine.probe(copy.bytes(), limits), limits))
                : Optional.empty();
        return new Examined(info, verdict, blurred);
    }

    private Optional<Rendered> blurredIfFlagged(ModerationVerdict verdict, byte[] original, SourceInfo info,
                                                Limits limits) {
        return verdict.action() == ModerationVerdict.Action.BLUR
                ? Optional.of(BlurredMaster.render(engine, original, info, limits))
                : Optional.empty();
    }

    // ---------------------------------------------------------------- new images

    /**
     * {@link #examine(byte[]) Examines} and {@link #store stores} a new original held in memory: what
     * {@code POST /v1/images} and Kafka ingestion do. The size limit is the caller's (its wording names
     * the caller's way around it).
     */
    public ImageRecord upload(String owner, byte[] original, Via via, Consumer<ImageId> bind) {
        return store(owner, original, examine(original), via, bind);
    }

    /**
     * Stores a new original that passed its checks. The writes are ordered so that a failure at any step
     * leaves nothing behind: reserve the id (a provisional STORING record with an expiry, which the
     * sweeper undoes if this dies), tell {@code bind}, write the objects the verdict asks for, then finish
     * the record with its status and verdict; a failed step undoes the earlier ones. Usage and events
     * follow the final record.
     *
     * @param bind told the id once it is reserved, before the image can become visible (an
     *             Idempotency-Key binds itself to the id here); a failure undoes the reservation
     */
    public ImageRecord store(String owner, byte[] original, Examined examined, Via via, Consumer<ImageId> bind) {
        ImageRecord record = reserve(owner, examined.info(), original);
        try {
            bind.accept(record.id());
        } catch (RuntimeException e) {
            undo(e, () -> records.delete(record.id()));
            throw e;
        }
        try {
            write(record.id(), examined, inMemory(original));
        } catch (RuntimeException e) {
            undo(e, () -> originals.delete(record.id()), () -> records.delete(record.id()));
            throw new UpstreamFailure("the original could not be stored; nothing was kept, try again", e);
        }
        try {
            if (!records.finish(record.id(), ImageStatus.STORING, examined.status(), examined.verdict(),
                    examined.reason())) {
                throw new IllegalStateException("the provisional record vanished");
            }
        } catch (RuntimeException e) {
            undo(e, () -> originals.delete(record.id()), () -> records.delete(record.id()));
            throw new UpstreamFailure("the image record could not be completed; nothing was kept, try again", e);
        }
        ImageRecord done = record.finished(examined.status(), examined.verdict(), examined.reason());
        usage.uploaded(done, via.label());
        announceUpload(done, via);
        return done;
    }

    private ImageRecord reserve(String owner, SourceInfo info, byte[] original) {
        Instant now = clock.instant();
        String sha256 = HexFormat.of().formatHex(sha256().digest(original));
        for (int attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
            ImageRecord candidate = new ImageRecord(ImageId.random(), owner, ImageStatus.STORING,
                    info.format().mediaType(), info.displayWidth(), info.displayHeight(), info.frames(),
                    original.length, sha256, now, Optional.of(now.plus(config.resilience().provisionalLifetime())),
                    Optional.empty(), Optional.empty());
            if (records.createIfAbsent(candidate)) {
                return candidate;
            }
        }
        throw new UpstreamFailure("could not draw an unused image id", null);
    }

    // ---------------------------------------------------------------- large uploads

    /**
     * Finishes a large upload whose record (reserved when the upload started) is PROCESSING: writes the
     * objects the verdict asks for (a failure propagates: the incoming object stays, so the caller's event
     * is simply redelivered and redone), describes the record with what the bytes told, and finishes it.
     *
     * @param processing the record as it was read, PROCESSING
     * @return the finished record; empty when another delivery finished the image meanwhile
     */
    public Optional<ImageRecord> complete(ImageRecord processing, Original original, Examined examined, long bytes,
                                          String sha256) {
        ImageId id = processing.id();
        long copyStart = System.nanoTime();
        write(id, examined, original);
        LOG.info("large upload {}: objects written in {} ms", id, (System.nanoTime() - copyStart) / 1_000_000);
        SourceInfo info = examined.info();
        String mediaType = info.format().mediaType();
        records.describe(id, mediaType, info.displayWidth(), info.displayHeight(), info.frames(), bytes, sha256);
        if (!records.finish(id, ImageStatus.PROCESSING, examined.status(), examined.verdict(), examined.reason())) {
            return Optional.empty();
        }
        ImageRecord done = new ImageRecord(id, processing.owner(), ImageStatus.PROCESSING, mediaType,
                info.displayWidth(), info.displayHeight(), info.frames(), bytes, sha256, processing.createdAt(),
                Optional.empty(), Optional.empty(), Optional.empty())
                .finished(examined.status(), examined.verdict(), examined.reason());
        usage.uploaded(done, Via.MULTIPART.label());
        announceUpload(done, Via.MULTIPART);
        return Optional.of(done);
    }

    /**
     * Ends a large upload that cannot become an image (a bad file, a lost object): FAILED with the
     * reason, announced as an {@code image_uploaded} with status FAILED (its uploader may be waiting).
     *
     * @return false when the image was no longer PROCESSING (another delivery finished it)
     */
    public boolean fail(ImageId id, String reason) {
        if (!records.finish(id, ImageStatus.PROCESSING, ImageStatus.FAILED, null, reason)) {
            return false;
        }
        records.get(id).ifPresent(r -> announceUpload(r, Via.MULTIPART));
        return true;
    }

    // ---------------------------------------------------------------- re-moderation

    /**
     * Moderates a stored image again, its record already moved to PROCESSING by the caller: if the checks
     * fail, the image goes back to {@code previous} untouched; if storage fails half way, the image is
     * FAILED (not servable, nothing lost) until the next re-moderation. The quarantine copy, when there
     * is one, is the unblurred original ({@code original}); an ALLOW verdict removes it.
     *
     * @param before   the record before re-moderation started
     * @param previous its status then, which a failed check restores
     * @return the verdict's outcome
     * @throws io.imagescaler.handler.error.ImageScalerException.Conflict the record changed meanwhile
     */
    public Examined remoderate(ImageRecord before, ImageStatus previous, byte[] original) {
        ImageId id = before.id();
        Examined examined;
        try {
            examined = reexamine(original);
        } catch (RuntimeException e) {
            undo(e, () -> records.transition(id, ImageStatus.PROCESSING, previous));
            throw e;
        }
        try {
            write(id, examined, inMemory(original));
            if (examined.verdict().action() == ModerationVerdict.Action.ALLOW) {
                originals.deleteQuarantine(id);
            }
        } catch (RuntimeException e) {
            undo(e, () -> records.finish(id, ImageStatus.PROCESSING, ImageStatus.FAILED, examined.verdict(),
                    "re-moderation could not rearrange the stored objects; run it again"));
            throw new UpstreamFailure("re-moderation failed while storing; the image is FAILED until it is "
                    + "re-moderated again", e);
        }
        if (!records.finish(id, ImageStatus.PROCESSING, examined.status(), examined.verdict(), examined.reason())) {
            throw new io.imagescaler.handler.error.ImageScalerException.Conflict(
                    "image " + id + " changed during re-moderation (deleted?)");
        }
        usage.remoderated(before, examined.verdict());
        announceModeration(before.id(), before.owner(), examined.status(), examined.verdict(), "remoderation");
        return examined;
    }

    // ---------------------------------------------------------------- the objects a verdict writes

    /**
     * Writes the objects a verdict asks for. The quarantine copy is written before the master is replaced,
     * so the unblurred original is never lost between the two writes; a REJECT leaves no master.
     */
    private void write(ImageId id, Examined examined, Original original) {
        String type = examined.info().format().mediaType();
        switch (examined.verdict().action()) {
            case ALLOW -> original.toMaster(id, type);
            case BLUR -> {
                original.toQuarantine(id, type);
                Rendered master = examined.blurred().orElseThrow();
                originals.put(id, master.bytes(), master.format().mediaType());
            }
            case REJECT -> {
                original.toQuarantine(id, type);
                originals.deleteMaster(id);
            }
        }
    }

    public static ImageStatus statusOf(ModerationVerdict verdict) {
        return switch (verdict.action()) {
            case ALLOW -> ImageStatus.READY;
            case BLUR -> ImageStatus.BLURRED;
            case REJECT -> ImageStatus.REJECTED;
        };
    }

    public static String reasonOf(ModerationVerdict verdict) {
        return verdict.action() == ModerationVerdict.Action.ALLOW ? null : verdict.reason();
    }

    /** Best-effort clean-up after a failure: every step is tried; their failures ride on the first one. */
    private static void undo(RuntimeException failure, Runnable... steps) {
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }

    // ---------------------------------------------------------------- events

    /** {@code image_uploaded}, then (when the image was moderated) {@code image_moderated} with via upload. */
    private void announceUpload(ImageRecord done, Via via) {
        ObjectNode detail = JsonNodeFactory.instance.objectNode();
        detail.put("imageId", done.id().value());
        detail.put("owner", done.owner());
        detail.put("status", done.status().name());
        detail.put("contentType", done.contentType());
        detail.put("width", done.width());
        detail.put("height", done.height());
        detail.put("frames", done.frames());
        detail.put("bytes", done.bytes());
        detail.put("sha256", done.sha256());
        detail.put("via", via.label());
        detail.put("createdAt", done.createdAt().toString());
        publish(new DomainEvent(DomainEvent.IMAGE_UPLOADED, resource(done.id()), clock.instant(), detail));
        done.moderation().ifPresent(v -> announceModeration(done.id(), done.owner(), done.status(), v, "upload"));
    }

    private void announceModeration(ImageId id, String owner, ImageStatus status, ModerationVerdict verdict,
                                    String via) {
        ObjectNode detail = JsonNodeFactory.instance.objectNode();
        detail.put("imageId", id.value());
        detail.put("owner", owner);
        detail.put("status", status.name());
        detail.put("action", verdict.action().name());
        detail.put("reason", verdict.reason());
        detail.put("via", via);
        publish(new DomainEvent(DomainEvent.IMAGE_MODERATED, resource(id), clock.instant(), detail));
    }

    /** The event's {@code resources} entry for an image: its API path, {@code images/<id>}. */
    public static String resource(ImageId id) {
        return "images/" + id.value();
    }

    /** The port is best effort already; this guards the outcome against an adapter that throws anyway. */
    private void publish(DomainEvent event) {
        try {
            events.publish(event);
        } catch (RuntimeException e) {
            LOG.error("event not published: {} {}: {}", event.detailType(), event.detail(), e.toString());
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The first bytes of the file: enough for the magic number that picks the limits. */
    private static byte[] head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(16);
        } catch (IOException e) {
            throw new UpstreamFailure("the temporary file could not be read", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
