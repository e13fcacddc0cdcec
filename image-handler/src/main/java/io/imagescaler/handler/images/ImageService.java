package io.imagescaler.handler.images;

import io.imagescaler.handler.cdn.CdnInvalidator;
import io.imagescaler.handler.config.HandlerConfig;
import io.imagescaler.handler.error.ImageScalerException.Conflict;
import io.imagescaler.handler.error.ImageScalerException.InvalidRequest;
import io.imagescaler.handler.error.ImageScalerException.NotFound;
import io.imagescaler.handler.error.ImageScalerException.PayloadTooLarge;
import io.imagescaler.handler.error.ImageScalerException.UpstreamFailure;
import io.imagescaler.handler.events.DomainEvent;
import io.imagescaler.handler.events.Events;
import io.imagescaler.handler.intake.Intake;
import io.imagescaler.handler.idempotency.IdempotentRequests;
import io.imagescaler.handler.analytics.Usage;
import io.imagescaler.handler.storage.ImageRecords;
import io.imagescaler.handler.storage.Originals;
import io.imagescaler.handler.storage.StoredObject;
import io.imagescaler.handler.storage.Variants;
import io.imagescaler.handler.transform.Limits;
import io.imagescaler.handler.transform.Rendered;
import io.imagescaler.handler.transform.SourceInfo;
import io.imagescaler.handler.transform.StageTimings;
import io.imagescaler.handler.transform.TransformEngine;
import io.imagescaler.handler.tracing.RequestTelemetry;
import io.imagescaler.handler.upscale.SuperResolution;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.ImageId;
import io.imagescaler.spec.InvalidTransformException;
import io.imagescaler.spec.TransformSpec;
import io.imagescaler.spec.VariantPath;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The use cases: upload, serve a variant, serve the original, describe, delete. Plain Java over the
 * storage ports and the transform engine; the Lambda handler and the local edge call it the same way.
 */
public final class ImageService {
    private static final Logger LOG = LoggerFactory.getLogger(ImageService.class);

    private final HandlerConfig config;
    private final Originals originals;
    private final Variants variants;
    private final ImageRecords records;
    private final TransformEngine engine;
    private final SuperResolution superResolution;
    private final Intake intake;
    private final CdnInvalidator cdn;
    private final IdempotentRequests idempotency;
    private final Usage usage;
    private final Events events;
    private final Clock clock;
    private final RenderGate renders;
    private final RenderCost cost;
    /** The misses being rendered in this process, by generated-bucket key: one render per key at a time. */
    private final ConcurrentHashMap<String, CompletableFuture<Made>> inFlight = new ConcurrentHashMap<>();
    /**
     * Keys whose render finished in the last {@link #RECENT_NANOS}: a miss that looked in the bucket before that
     * render stored its object, and joins the flight only after it ended, looks again instead of rendering twice.
     */
    private final ConcurrentHashMap<String, Long> recentlyStored = new ConcurrentHashMap<>();
    private static final long RECENT_NANOS = 10_000_000_000L;

    public ImageService(HandlerConfig config, Originals originals, Variants variants, ImageRecords records,
                        TransformEngine engine, SuperResolution superResolution, Intake intake,
                        CdnInvalidator cdn, IdempotentRequests idempotency, Usage usage, Events events,
                        Clock clock) {
        this.config = config;
        this.originals = originals;
        this.variants = variants;
        this.records = records;
        this.engine = engine;
        this.superResolution = superResolution;
        this.intake = intake;
        this.cdn = cdn;
        this.idempotency = idempotency;
        this.usage = usage;
        this.events = events;
        this.clock = clock;
        var r = config.resilience();
        this.renders = new RenderGate(r.renderConcurrency(), r.renderQueue(), r.renderQueueWait());
        this.cost = new RenderCost(r);
    }

    /** An upload's answer; {@code replayed} when it is the remembered answer to an earlier request. */
    public record Upload(ImageRecord record, boolean replayed) {
    }

    /** What an admin's re-moderation did: the record after it, and what was purged from the caches. */
    public record Remoderation(ImageRecord record, int purgedVariants, String invalidation) {
    }

    /**
     * {@link #upload(byte[], String)} under an optional {@code Idempotency-Key} (see
     * {@link IdempotentRequests}): a retry answers the current record of the image the first request made.
     */
    public Upload upload(byte[] body, String owner, Optional<String> idempotencyKey) {
        var result = idempotency.call("images#" + owner, idempotencyKey, body,
                (java.util.function.Consumer<ImageId> bind) -> upload(body, owner, bind), ImageRecord::id,
                id -> replayable(id));
        return new Upload(result.value(), result.replayed());
    }

    /**
     * The image a key's first request made, when that request finished it; empty when it did not (its
     * provisional record is still STORING, or the sweeper already undid it).
     */
    private Optional<ImageRecord> replayable(ImageId id) {
        Optional<ImageRecord> record = records.get(id);
        if (record.isPresent() && record.get().status() == ImageStatus.DELETING) {
            throw new Conflict("image " + id + ", created with this Idempotency-Key, has since been deleted");
        }
        return record.filter(r -> r.status() != ImageStatus.STORING);
    }

    /**
     * Stores a new original through the {@link Intake}: every check runs before the first write,
     * moderation included (so an unmoderated original is never stored where it could be served), and a
     * failure at any step leaves nothing behind.
     */
    public ImageRecord upload(byte[] body, String owner) {
        return upload(body, owner, id -> { });
    }

    /** @param bind told the id once it is reserved, before the image can become visible */
    private ImageRecord upload(byte[] body, String owner, java.util.function.Consumer<ImageId> bind) {
        if (body == null || body.length == 0) {
            throw new InvalidRequest("the request body is empty: send the image bytes as the body");
        }
        if (body.length > config.maxSyncUploadBytes()) {
            throw new PayloadTooLarge("the image is " + body.length + " bytes; this endpoint takes at most "
                    + config.maxSyncUploadBytes() + " bytes (use POST /v1/uploads for larger files)");
        }
        // Traced stages (the upload's answer carries no Server-Timing: a replayed answer has no timings).
        return intake.upload(owner, body, Intake.Via.SYNC, id -> {
            RequestTelemetry.current().image(id.value());
            bind.accept(id);
        });
    }

    /**
     * Runs moderation again on the unblurred original (an admin's decision, e.g. after the policy or the
     * model changed), rearranges the stored objects for the new verdict (the {@link Intake}), and purges
     * every generated variant and the CDN's cached copies. While it runs the image is PROCESSING and not
     * servable. If the model fails, the image goes back to its previous status untouched; if storage
     * fails half way, the image is FAILED (not servable, nothing lost) until the next re-moderation.
     */
    public Remoderation remoderate(String idText) {
        ImageId id = parseId(idText);
        ImageRecord before = records.get(id).orElseThrow(() -> new NotFound("no image with id " + id));
        ImageStatus previous = before.status();
        if (!previous.visible()) {
            throw new NotFound("no image with id " + id);
        }
        if (previous == ImageStatus.UPLOADING || previous == ImageStatus.PROCESSING) {
            throw new Conflict("image " + id + " is " + previous + "; re-moderation needs a finished image");
        }
        // Invariant: a quarantine copy, when present, is the unblurred original.
        StoredObject source = originals.getQuarantine(id).or(() -> originals.get(id)).orElseThrow(
                () -> new NotFound("image " + id + " has no stored original to moderate"));
        if (!records.transition(id, previous, ImageStatus.PROCESSING)) {
            throw new Conflict("image " + id + " changed while re-moderation started; try again");
        }
        int purged = variants.deleteAll(id);
        Intake.Examined examined = intake.remoderate(before, previous, source.bytes());
        // A render that read the record before PROCESSING may have stored a variant since the first purge.
        purged += variants.deleteAll(id);
        String invalidation = cdn.invalidateImage(id);
        LOG.info("re-moderated {}: {} -> {} ({}), {} variants purged, invalidation {}", id, previous,
                examined.status(), examined.verdict().reason(), purged, invalidation);
        return new Remoderation(records.get(id).orElseThrow(), purged, invalidation);
    }

    /**
     * Serves a variant: from the generated bucket when it was made before, else rendered from the
     * original and stored under its canonical key. Every millisecond of a miss is a named stage
     * ({@code record}, {@code cache}, {@code queue}, {@code fetch}, {@code probe}, the engine's stages,
     * {@code store}; a coalesced miss waits in {@code coalesce}); counting runs after the answer, off
     * the request's time. Before any fetch the render's cost is checked against the budget. Concurrent
     * misses of one key in this process render once (single flight); across processes S3's conditional
     * write keeps the first stored object and later writers serve that one.
     */
    public Served variant(String idText, String lastSegment) {
        ImageId id = parseId(idText);
        VariantPath path = parseVariant(lastSegment);
        config.variantBounds().check(path.transform(), config.presets().keySet());
        TransformSpec spec = expandPreset(path.transform());
        RequestTelemetry telemetry = RequestTelemetry.current();
        telemetry.image(id.value());
        telemetry.transform(path.canonical());

        StageTimings timings = new StageTimings();
        ImageRecord record = timings.time("record", () -> servableRecord(id));
        cost.check(spec, record.width(), record.height(), record.frames());
        TransformSpec stored = atMostOriginalSize(path.transform(), spec, record);
        // ".auto" reaches the origin only when the edge found no modern format the viewer takes (the edge turns it
        // into avif/webp otherwise): stored under ".auto", the baseline every viewer decodes, chosen from the
        // original's pixels once it is read (made)
        String key = id.value() + "/" + stored.canonical() + "." + path.format().map(ImageFormat::extension).orElse("auto");
        Optional<StoredObject> hit = timings.time("cache", () -> variants.get(key));
        telemetry.cache(hit.isPresent());
        if (hit.isPresent()) {
            StoredObject o = hit.get();
            return new Served.Bytes(o.bytes(), o.contentType(), o.etag(), o.cacheControl(), true, timings);
        }
        CompletableFuture<Made> mine = new CompletableFuture<>();
        CompletableFuture<Made> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            Made made = timings.time("coalesce", () -> await(running));
            return made.served(timings);
        }
        try {
            Long done = recentlyStored.get(key);
            if (done != null && System.nanoTime() - done < RECENT_NANOS) {
                Optional<StoredObject> late = timings.time("cache", () -> variants.get(key));
                if (late.isPresent()) {
                    StoredObject o = late.get();
                    Made made = new Made(o.bytes(), o.contentType(), o.cacheControl(), false, false, Map.of());
                    mine.complete(made);
                    return made.served(timings);
                }
            }
            Made made = renders.run(timings, () -> made(record, id, spec, path, key, timings));
            mine.complete(made);
            if (made.generated()) {
                long now = System.nanoTime();
                recentlyStored.put(key, now);
                if (recentlyStored.size() > 1024) {
                    recentlyStored.values().removeIf(t -> now - t > RECENT_NANOS);
                }
            }
            if (made.generated()) {
                telemetry.variantGenerated();
            }
            return made.served(timings);
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private static Made await(CompletableFuture<Made> running) {
        try {
            return running.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /**
     * Without {@code up_}, a variant at least as large as the original in every asked side is the
     * original's size whatever the numbers: such variants share the one stored object of the plain
     * conversion ({@code full}, with the other tokens kept), instead of one full-size copy per width.
     */
    static TransformSpec atMostOriginalSize(TransformSpec asked, TransformSpec effective, ImageRecord record) {
        if (asked.preset() != null || effective.upscale() != io.imagescaler.spec.Upscale.NONE
                || effective.fit() != io.imagescaler.spec.Fit.INSIDE) {
            return asked;
        }
        int pw = effective.pixelWidth();
        int ph = effective.pixelHeight();
        if ((pw == 0 && ph == 0) || (pw != 0 && pw < record.width()) || (ph != 0 && ph < record.height())) {
            return asked;
        }
        return asked.toBuilder().width(0).height(0).dpr(1).build();
    }

    /** A miss's outcome, shared by the misses of the same key that waited for it. */
    private record Made(byte[] bytes, String contentType, String cacheControl, boolean generated, boolean tooLarge,
                        Map<String, String> headers) {
        Served served(StageTimings timings) {
            if (tooLarge) {
                return new Served.AskAgain(timings);
            }
            return new Served.Bytes(bytes, contentType, etagOf(bytes), cacheControl, false, timings, headers);
        }
    }

    private Made made(ImageRecord record, ImageId id, TransformSpec spec, VariantPath path, String key,
                      StageTimings timings) {
        Rendition r = render(record, id, spec, path, key.substring(key.indexOf('/') + 1), timings);
        if (r.srFallback().isPresent()) {
            // the Lanczos stand-in (endpoint down or slow) is served with a short cache life and not stored, so a
            // later request tries SR again
            return new Made(r.out().bytes(), r.format().mediaType(), SHORT_CACHE, false, false,
                    Map.of("X-Upscale", "lanczos; fallback=\"" + r.srFallback().get().replace('"', '\'') + "\""));
        }
        return store(key, r.out(), r.format(), timings,
                r.method().equals(ENGINE) ? Map.of() : Map.of("X-Upscale", r.method()));
    }

    /** How a rendering was made: the engine alone. */
    private static final String ENGINE = "engine";

    /**
     * One rendering of an original: its steps are written once here, for a variant miss and for a job.
     *
     * @param method     {@value #ENGINE}, or the SR method (e.g. {@code sr-x4})
     * @param srFallback why SR was asked for but a Lanczos stand-in was made instead
     */
    private record Rendition(Rendered out, ImageFormat format, String method, Optional<String> srFallback) {
    }

    /**
     * Fetches and probes the original, then renders {@code spec}: through super-resolution when it asks for more
     * pixels than the original has and {@code up_sr}, the engine otherwise; counts usage for what was made.
     */
    private Rendition render(ImageRecord record, ImageId id, TransformSpec spec, VariantPath path, String transform,
                             StageTimings timings) {
        StoredObject original = timings.time("fetch", () -> originals.get(id)).orElseThrow(
                () -> new NotFound("image " + id + " has no stored original"));
        Limits limits = config.limitsFor(original.bytes());
        // The engine traces its own probe span; Server-Timing gets the same stage here.
        long probeStart = System.nanoTime();
        SourceInfo info = engine.probe(original.bytes(), limits);
        timings.record("probe", (System.nanoTime() - probeStart) / 1e6);
        ImageFormat format = path.format().orElse(baseline(info));
        if (!SuperResolution.applies(info, spec, limits)) {
            Rendered out = engine.render(original.bytes(), info, spec, format, limits);
            timings.addAll(out.timings());
            usage.rendered(record, transform, out);
            return new Rendition(out, format, ENGINE, Optional.empty());
        }
        SuperResolution.Result result = superResolution.render(original.bytes(), info, spec, format, limits);
        timings.addAll(result.rendered().timings());
        if (result.fallbackReason().isPresent()) {
            return new Rendition(result.rendered(), format, "lanczos", result.fallbackReason());
        }
        usage.superResolved(record, transform, result.rendered(), result.method());
        RequestTelemetry.current().srCall();
        usage.rendered(record, transform, result.rendered());
        return new Rendition(result.rendered(), format, result.method(), Optional.empty());
    }

    /** One rendering for a job, and how it was made ({@code engine}, or the SR method, e.g. {@code sr-x4}). */
    public record JobRendition(Rendered rendered, String method) {
    }

    /**
     * Renders one transform of a servable image for an asynchronous job: the steps of a variant miss ({@link
     * #render}), without the caches and without the 29 s request budget. A job waits for what it asked: a
     * super-resolution failure is thrown (the job's message is retried) instead of answered with Lanczos, and the
     * fallback engine's output is refused (it is never stored).
     */
    public JobRendition renderForJob(ImageId id, VariantPath path) {
        ImageRecord record = servableRecord(id);
        Rendition r = render(record, id, expandPreset(path.transform()), path, path.canonical(), new StageTimings());
        if (r.srFallback().isPresent()) {
            throw new UpstreamFailure("super-resolution failed: " + r.srFallback().get(), null);
        }
        if (!r.out().finalOutput()) {
            throw new UpstreamFailure("the native engine is not loaded; a job's results are never made by the "
                    + "fallback engine", null);
        }
        return new JobRendition(r.out(), r.method());
    }

    /** What {@code .auto} becomes at the origin: PNG keeps an original's alpha, JPEG for everything opaque. */
    static ImageFormat baseline(SourceInfo info) {
        return info.hasAlpha() ? ImageFormat.PNG : ImageFormat.JPG;
    }

    /** Cache life of an answer that was not stored (a fallback, or a render the store refused). */
    static final String SHORT_CACHE = "public, max-age=60";

    /**
     * Stores a render unless another writer stored the key first (then that object is what everyone
     * gets). A failed write does not fail the answer: the render is served with a short cache life and
     * {@code X-Variant-Stored: false}, unless it is too large to answer directly.
     */
    private Made store(String key, Rendered out, ImageFormat format, StageTimings timings, Map<String, String> headers) {
        if (!out.finalOutput()) {
            // The fallback engine's rendering (a plain render or the resize after SR) is served, never stored
            // or cached as final: once libvips works again, the next request renders the real variant.
            Map<String, String> h = new java.util.HashMap<>(headers);
            h.put("X-Engine", "fallback");
            return new Made(out.bytes(), format.mediaType(), SHORT_CACHE, false, false, h);
        }
        String cacheControl = "public, max-age=" + config.variantMaxAge().toSeconds() + ", immutable";
        boolean tooLarge = out.bytes().length > config.maxResponseBytes();
        boolean first;
        try {
            first = timings.time("store", () -> variants.putIfAbsent(key, out.bytes(), format.mediaType(), cacheControl));
        } catch (UpstreamFailure e) {
            if (tooLarge) {
                throw e;
            }
            LOG.warn("variant {} rendered but not stored: {}", key, e.getMessage());
            Map<String, String> h = new java.util.HashMap<>(headers);
            h.put("X-Variant-Stored", "false");
            return new Made(out.bytes(), format.mediaType(), SHORT_CACHE, true, false, h);
        }
        if (!first) {
            // Another instance stored this key first: serve its object, so every viewer gets one ETag.
            Optional<StoredObject> winner = timings.time("cache", () -> variants.get(key));
            if (winner.isPresent()) {
                StoredObject o = winner.get();
                return new Made(o.bytes(), o.contentType(), o.cacheControl(), true, tooLarge, headers);
            }
        }
        return new Made(out.bytes(), format.mediaType(), cacheControl, true, tooLarge, headers);
    }

    /** Serves the stored master (the blurred copy when moderation flagged the image). */
    public Served original(String idText) {
        ImageId id = parseId(idText);
        RequestTelemetry.current().image(id.value());
        ImageRecord record = servableRecord(id);
        if (record.bytes() > config.maxResponseBytes()) {
            return new Served.Elsewhere(originals.temporaryUrl(id, Duration.ofMinutes(5)));
        }
        StageTimings timings = new StageTimings();
        StoredObject o = timings.time("fetch", () -> originals.get(id)).orElseThrow(
                () -> new NotFound("image " + id + " has no stored original"));
        // The stored type, not the record's: a blurred master is a JPEG or PNG whatever was uploaded.
        String type = o.contentType() != null ? o.contentType() : record.contentType();
        return new Served.Bytes(o.bytes(), type, etagOf(o.bytes()), "private, max-age=3600", false, timings);
    }

    public ImageRecord metadata(String idText) {
        ImageId id = parseId(idText);
        return records.get(id).filter(r -> r.status().visible())
                .orElseThrow(() -> new NotFound("no image with id " + id));
    }

    /**
     * Deletes everything of the image: first the record is marked DELETING (nothing is served or
     * generated from then on), then the variants and original go, and the record last, so an
     * interrupted delete can simply be repeated. {@code image_deleted} is published once the record is gone.
     */
    public void delete(String idText) {
        ImageId id = parseId(idText);
        ImageRecord record = records.get(id).filter(r -> r.status() != ImageStatus.STORING)
                .orElseThrow(() -> new NotFound("no image with id " + id));
        if (record.status() != ImageStatus.DELETING
                && !records.transition(id, record.status(), ImageStatus.DELETING)) {
            throw new Conflict("image " + id + " changed while it was being deleted; try again");
        }
        variants.deleteAll(id);
        originals.delete(id);
        records.delete(id);
        usage.deleted(record);
        var detail = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        java.time.Instant deletedAt = clock.instant();
        detail.put("imageId", id.value());
        detail.put("owner", record.owner());
        detail.put("deletedAt", deletedAt.toString());
        try {
            events.publish(new DomainEvent(DomainEvent.IMAGE_DELETED, Intake.resource(id), deletedAt, detail));
        } catch (RuntimeException e) {
            LOG.error("event not published: {} {}: {}", DomainEvent.IMAGE_DELETED, detail, e.toString());
        }
    }

    private ImageRecord servableRecord(ImageId id) {
        ImageRecord record = records.get(id).orElseThrow(() -> new NotFound("no image with id " + id));
        if (!record.status().visible()) {
            throw new NotFound("no image with id " + id);
        }
        if (!record.status().servable()) {
            throw new Conflict("image " + id + " is " + record.status() + ", not servable yet");
        }
        return record;
    }

    private TransformSpec expandPreset(TransformSpec asked) {
        if (asked.preset() == null) {
            return asked;
        }
        TransformSpec preset = config.presets().get(asked.preset());
        if (preset == null) {
            throw new InvalidRequest("unknown preset '" + asked.preset() + "'; known presets: "
                    + String.join(", ", config.presets().keySet()));
        }
        // Tokens written next to the preset override the preset's own.
        TransformSpec.Builder b = preset.toBuilder();
        TransformSpec none = TransformSpec.NONE;
        if (asked.width() != none.width()) b.width(asked.width());
        if (asked.height() != none.height()) b.height(asked.height());
        if (asked.fit() != none.fit()) b.fit(asked.fit());
        if (!asked.position().equals(none.position())) b.position(asked.position());
        if (asked.dpr() != none.dpr()) b.dpr(asked.dpr());
        if (asked.quality() != none.quality()) b.quality(asked.quality());
        if (asked.upscale() != none.upscale()) b.upscale(asked.upscale());
        if (asked.background() != null) b.background(asked.background());
        if (asked.blur() != none.blur()) b.blur(asked.blur());
        if (asked.sharpen() != none.sharpen()) b.sharpen(asked.sharpen());
        if (asked.gray()) b.gray(true);
        if (asked.rotate() != none.rotate()) b.rotate(asked.rotate());
        if (asked.flip()) b.flip(true);
        if (asked.flop()) b.flop(true);
        return b.build();
    }

    static ImageId parseId(String idText) {
        if (!ImageId.isValid(idText)) {
            throw new NotFound("'" + abbreviate(idText) + "' is not an image id (43 URL-safe base64 characters)");
        }
        return new ImageId(idText);
    }

    private static VariantPath parseVariant(String lastSegment) {
        try {
            return VariantPath.parse(lastSegment);
        } catch (InvalidTransformException e) {
            throw new InvalidRequest(e.getMessage());
        }
    }

    /** The S3 ETag of a single-part upload of the same bytes, so handler and bucket answers agree. */
    static String etagOf(byte[] bytes) {
        return "\"" + HexFormat.of().formatHex(digest("MD5", bytes)) + "\"";
    }

    private static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String abbreviate(String s) {
        if (s == null) return "";
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }
}
