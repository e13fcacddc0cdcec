package io.imagescaler.handler.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.handler.analytics.Usage;
import io.imagescaler.handler.cdn.NoCdnCache;
import io.imagescaler.handler.config.HandlerConfig;
import io.imagescaler.handler.error.ImageScalerException.PayloadTooLarge;
import io.imagescaler.handler.events.DomainEvent;
import io.imagescaler.handler.events.Events;
import io.imagescaler.handler.idempotency.IdempotentRequests;
import io.imagescaler.handler.intake.Intake;
import io.imagescaler.handler.intake.MemoryStores;
import io.imagescaler.handler.intake.MemoryStores.LabelledModerator;
import io.imagescaler.handler.intake.MemoryStores.MemoryImageRecords;
import io.imagescaler.handler.intake.MemoryStores.MemoryKeys;
import io.imagescaler.handler.intake.MemoryStores.MemoryOriginals;
import io.imagescaler.handler.moderation.ModerationCheck;
import io.imagescaler.handler.moderation.ModerationLabel;
import io.imagescaler.handler.moderation.ModerationPolicy;
import io.imagescaler.handler.storage.StoredObject;
import io.imagescaler.handler.storage.Variants;
import io.imagescaler.handler.transform.EngineSelection;
import io.imagescaler.handler.transform.TransformEngine;
import io.imagescaler.handler.upscale.SuperResolution;
import io.imagescaler.spec.ImageId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The image use cases that announce outcomes, over in-memory ports with a fixed clock: a sync upload (its
 * own size limit, then the intake), a replayed upload (announced once), a re-moderation and a delete.
 */
class ImageServiceEventsTest {
    static final Instant NOW = Instant.parse("2026-12-06T06:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final byte[] PNG = MemoryStores.testImage("images/png-tiny-16x16.png");

    final HandlerConfig config = HandlerConfig.fromEnvironment(Map.of("MAX_SYNC_UPLOAD_BYTES", "4096")::get);
    final TransformEngine engine = EngineSelection.select(EngineSelection.Choice.JAVA);
    final MemoryOriginals originals = new MemoryOriginals();
    final MemoryImageRecords records = new MemoryImageRecords();
    final LabelledModerator model = new LabelledModerator();
    final Events.Recorded events = new Events.Recorded();
    final Usage usage = Usage.none(CLOCK);
    final Intake intake = new Intake(config, engine, new ModerationCheck(Optional.of(model),
            new ModerationPolicy(75, Set.of("Explicit Nudity"), Set.of()), engine, CLOCK), originals, records, usage,
            events, CLOCK);
    final ImageService service = new ImageService(config, originals, new NoVariants(), records, engine,
            new SuperResolution(Optional.empty(), engine, 1_000_000), intake, new NoCdnCache(),
            new IdempotentRequests(new MemoryKeys(CLOCK), CLOCK, Duration.ofSeconds(30)), usage, events, CLOCK);

    /** A generated bucket with nothing in it. */
    static final class NoVariants implements Variants {
        public Optional<StoredObject> get(String key) { return Optional.empty(); }
        public void put(String key, byte[] bytes, String contentType, String cacheControl) { }
        public boolean putIfAbsent(String key, byte[] bytes, String contentType, String cacheControl) { return true; }
        public int deleteAll(ImageId id) { return 0; }
    }

    @Test
    void aSyncUploadIsAnnouncedOnceEvenWhenRetried() {
        var first = service.upload(PNG, "alice", Optional.of("key-1"));
        var retry = service.upload(PNG, "alice", Optional.of("key-1"));

        assertTrue(retry.replayed());
        assertEquals(first.record().id(), retry.record().id());
        var uploaded = events.ofType(DomainEvent.IMAGE_UPLOADED);
        assertEquals(1, uploaded.size());
        assertEquals("sync", uploaded.getFirst().detail().get("via").asText());
        assertEquals(1, events.ofType(DomainEvent.IMAGE_MODERATED).size());
    }

    @Test
    void aTooLargeBodyIsRefusedWithTheSyncEndpointsWording() {
        var e = assertThrows(PayloadTooLarge.class, () -> service.upload(new byte[5000], "alice"));
        assertTrue(e.getMessage().contains("POST /v1/uploads"), e.getMessage());
        assertTrue(events.published().isEmpty());
    }

    @Test
    void remoderationAndDeleteAreAnnounced() {
        ImageRecord image = service.upload(PNG, "alice");
        model.labels = List.of(new ModerationLabel("Explicit Nudity", "", 99));

        var remoderated = service.remoderate(image.id().value());
        assertEquals(ImageStatus.BLURRED, remoderated.record().status());
        var moderated = events.ofType(DomainEvent.IMAGE_MODERATED);
        assertEquals(List.of("upload", "remoderation"), moderated.stream().map(e -> e.detail().get("via").asText()).toList());
        assertEquals("BLURRED", moderated.get(1).detail().get("status").asText());

        service.delete(image.id().value());
        assertTrue(records.get(image.id()).isEmpty());
        assertEquals(0, originals.objects());
        var deleted = events.ofType(DomainEvent.IMAGE_DELETED);
        assertEquals(1, deleted.size());
        assertEquals(image.id().value(), deleted.getFirst().detail().get("imageId").asText());
        assertEquals("alice", deleted.getFirst().detail().get("owner").asText());
        assertEquals(NOW.toString(), deleted.getFirst().detail().get("deletedAt").asText());
        assertEquals("images/" + image.id().value(), deleted.getFirst().resource());
        assertEquals(DomainEvent.IMAGE_DELETED, events.published().getLast().detailType(), "the last word");
    }
}
