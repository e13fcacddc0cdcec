package io.imagescaler.handler.intake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagescaler.handler.analytics.Usage;
import io.imagescaler.handler.analytics.UsageEvent;
import io.imagescaler.handler.analytics.UsageEvents;
import io.imagescaler.handler.config.HandlerConfig;
import io.imagescaler.handler.error.ImageScalerException.CorruptImage;
import io.imagescaler.handler.error.ImageScalerException.UpstreamFailure;
import io.imagescaler.handler.events.DomainEvent;
import io.imagescaler.handler.events.Events;
import io.imagescaler.handler.images.ImageRecord;
import io.imagescaler.handler.images.ImageStatus;
import io.imagescaler.handler.intake.MemoryStores.LabelledModerator;
import io.imagescaler.handler.intake.MemoryStores.MemoryImageRecords;
import io.imagescaler.handler.intake.MemoryStores.MemoryOriginals;
import io.imagescaler.handler.moderation.ModerationCheck;
import io.imagescaler.handler.moderation.ModerationLabel;
import io.imagescaler.handler.moderation.ModerationPolicy;
import io.imagescaler.handler.transform.EngineSelection;
import io.imagescaler.handler.transform.TransformEngine;
import io.imagescaler.spec.ImageId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The intake over in-memory ports with a fixed clock and the pure-Java engine: what each verdict writes and
 * which status it gives, that a failure at any step leaves nothing behind, and that the events and usage
 * counters follow the final record (and only it).
 */
class IntakeTest {
    static final Instant NOW = Instant.parse("2026-12-06T06:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final ModerationLabel NUDITY = new ModerationLabel("Explicit Nudity", "", 99);
    static final ModerationLabel GORE = new ModerationLabel("Graphic Violence", "Violence", 98);

    final HandlerConfig config = HandlerConfig.fromEnvironment(k -> null);
    final TransformEngine engine = EngineSelection.select(EngineSelection.Choice.JAVA);
    final MemoryOriginals originals = new MemoryOriginals();
    final MemoryImageRecords records = new MemoryImageRecords();
    final LabelledModerator model = new LabelledModerator();
    final Events.Recorded events = new Events.Recorded();
    final List<UsageEvent> counted = new ArrayList<>();
    final UsageEvents usageEvents = new UsageEvents(batch -> {
        synchronized (counted) {
            counted.addAll(batch);
        }
        return 0;
    }, Duration.ofMinutes(5), line -> { });
    /** Nudity blurs (the default), violence rejects. */
    final ModerationCheck moderation = new ModerationCheck(Optional.of(model),
            new ModerationPolicy(75, Set.of("Explicit Nudity"), Set.of("Violence")), engine, CLOCK);
    final Intake intake = new Intake(config, engine, moderation, originals, records, new Usage(usageEvents, CLOCK),
            events, CLOCK);

    @AfterEach
    void close() {
        usageEvents.close();
    }

    static final byte[] PNG = MemoryStores.testImage("images/png-tiny-16x16.png");
    static final byte[] JPEG = MemoryStores.testImage("images/jpeg-tiny-40x60-orient3.jpg");
    static final byte[] TRUNCATED = MemoryStores.testImage("bad/truncated-png-half.png");

    private List<UsageEvent> usage() {
        usageEvents.flush();
        synchronized (counted) {
            return List.copyOf(counted);
        }
    }

    @Test
    void anAllowedImageIsReadyWithTheOriginalAsMasterAndIsAnnounced() throws Exception {
        ImageRecord done = intake.upload("alice", PNG, Intake.Via.SYNC, id -> { });

        assertEquals(ImageStatus.READY, done.status());
        assertEquals(done, records.get(done.id()).orElseThrow(), "the returned record is the stored one");
        assertEquals("image/png", done.contentType());
        assertEquals(16, done.width());
        assertEquals(16, done.height());
        assertEquals(PNG.length, done.bytes());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(PNG)), done.sha256());
        assertEquals(NOW, done.createdAt());
        assertTrue(done.expiresAt().isEmpty(), "a finished record has no expiry");
        assertArrayEquals(PNG, originals.get(done.id()).orElseThrow().bytes());
        assertTrue(originals.getQuarantine(done.id()).isEmpty());

        List<DomainEvent> published = events.published();
        assertEquals(List.of(DomainEvent.IMAGE_UPLOADED, DomainEvent.IMAGE_MODERATED),
                published.stream().map(DomainEvent::detailType).toList());
        ObjectNode uploaded = published.get(0).detail();
        assertEquals(done.id().value(), uploaded.get("imageId").asText());
        assertEquals("alice", uploaded.get("owner").asText());
        assertEquals("READY", uploaded.get("status").asText());
        assertEquals("image/png", uploaded.get("contentType").asText());
        assertEquals(16, uploaded.get("width").asInt());
        assertEquals(16, uploaded.get("height").asInt());
        assertEquals(1, uploaded.get("frames").asInt());
        assertEquals(PNG.length, uploaded.get("bytes").asLong());
        assertEquals(done.sha256(), uploaded.get("sha256").asText());
        assertEquals("sync", uploaded.get("via").asText());
        assertEquals(NOW.toString(), uploaded.get("createdAt").asText());
        assertEquals(NOW, published.get(0).time());
        assertEquals("images/" + done.id().value(), published.get(0).resource());
        ObjectNode moderated = published.get(1).detail();
        assertEquals("ALLOW", moderated.get("action").asText());
        assertEquals("READY", moderated.get("status").asText());
        assertEquals("upload", moderated.get("via").asText());
        assertEquals("no moderation labels", moderated.get("reason").asText());

        List<UsageEvent> usage = usage();
        assertEquals(List.of(UsageEvent.Type.UPLOAD, UsageEvent.Type.MODERATION),
                usage.stream().map(UsageEvent::type).toList());
        assertEquals("sync", usage.get(0).source());
        assertEquals("ALLOW", usage.get(1).verdict());
    }

    @Test
    void aFlaggedImageIsBlurredWithTheOriginalInQuarantine() {
        model.labels = List.of(NUDITY);
        ImageRecord done = intake.upload("alice", JPEG, Intake.Via.KAFKA, id -> { });

        assertEquals(ImageStatus.BLURRED, done.status());
        assertTrue(done.statusReason().orElseThrow().contains("Explicit Nudity"), done.statusReason().toString());
        assertArrayEquals(JPEG, originals.getQuarantine(done.id()).orElseThrow().bytes(), "quarantine keeps the original");
        var master = originals.get(done.id()).orElseThrow();
        assertEquals("image/jpeg", master.contentType());
        assertFalse(java.util.Arrays.equals(JPEG, master.bytes()), "the master is the blurred copy");
        // orientation 3 keeps the display size; the blurred master has the display size too
        var info = engine.probe(master.bytes(), config.limitsFor(master.bytes()));
        assertEquals(done.width(), info.displayWidth());
        assertEquals(done.height(), info.displayHeight());

        assertEquals("kafka", events.ofType(DomainEvent.IMAGE_UPLOADED).getFirst().detail().get("via").asText());
        ObjectNode moderated = events.ofType(DomainEvent.IMAGE_MODERATED).getFirst().detail();
        assertEquals("BLUR", moderated.get("action").asText());
        assertEquals("BLURRED", moderated.get("status").asText());
    }

    @Test
    void aRejectedImageHasNoMasterOnlyTheQuarantineCopy() {
        model.labels = List.of(GORE);
        ImageRecord done = intake.upload("bob", PNG, Intake.Via.SYNC, id -> { });

        assertEquals(ImageStatus.REJECTED, done.status());
        assertTrue(originals.get(done.id()).isEmpty());
        assertArrayEquals(PNG, originals.getQuarantine(done.id()).orElseThrow().bytes());
        assertEquals("REJECT", events.ofType(DomainEvent.IMAGE_MODERATED).getFirst().detail().get("action").asText());
        assertEquals("REJECTED", events.ofType(DomainEvent.IMAGE_UPLOADED).getFirst().detail().get("status").asText());
    }

    @Test
    void aCorruptImageIsRefusedBeforeModerationAndNothingIsStored() {
        assertThrows(CorruptImage.class, () -> intake.upload("alice", TRUNCATED, Intake.Via.SYNC, id -> { }));
        assertNothingStored();
        assertEquals(0, model.calls, "the model is not asked about bytes that do not decode");
    }

    @Test
    void moderationDownStoresNothing() {
        model.down = true;
        assertThrows(UpstreamFailure.class, () -> intake.upload("alice", PNG, Intake.Via.SYNC, id -> { }));
        assertNothingStored();
    }

    @Test
    void aFailedObjectWriteUndoesTheReservation() {
        originals.failWrites = true;
        ImageId[] reserved = new ImageId[1];
        var e = assertThrows(UpstreamFailure.class,
                () -> intake.upload("alice", PNG, Intake.Via.SYNC, id -> reserved[0] = id));
        assertTrue(e.getMessage().contains("nothing was kept"), e.getMessage());
        assertTrue(reserved[0] != null, "the id was reserved before the write");
        assertNothingStored();
    }

    @Test
    void aFailedRecordFinishUndoesTheObjectsAndTheReservation() {
        records.failFinish = true;
        assertThrows(UpstreamFailure.class, () -> intake.upload("alice", PNG, Intake.Via.SYNC, id -> { }));
        assertNothingStored();
    }

    @Test
    void aBindThatFailsUndoesTheReservation() {
        var e = assertThrows(IllegalStateException.class, () -> intake.upload("alice", PNG, Intake.Via.SYNC, id -> {
            assertEquals(ImageStatus.STORING, records.get(id).orElseThrow().status(), "provisional while binding");
            assertTrue(records.get(id).orElseThrow().expiresAt().isPresent(), "a provisional record expires");
            throw new IllegalStateException("key store down");
        }));
        assertEquals("key store down", e.getMessage());
        assertNothingStored();
    }

    private void assertNothingStored() {
        assertTrue(records.items.isEmpty(), "no record: " + records.items);
        assertEquals(0, originals.objects(), "no object");
        assertTrue(events.published().isEmpty(), "nothing announced: " + events.published());
        assertTrue(usage().isEmpty(), "nothing counted");
    }

    // ------------------------------------------------------------ large uploads

    /** A large upload's record as LargeUploads leaves it for processing. */
    private ImageRecord processing() {
        ImageRecord r = new ImageRecord(ImageId.random(), "carol", ImageStatus.PROCESSING, "application/octet-stream",
                0, 0, 0, 999, "", NOW.minusSeconds(60), Optional.empty(), Optional.empty(), Optional.empty());
        records.createIfAbsent(r);
        return r;
    }

    /** Records the server-side copies a large upload's original makes. */
    static final class Copies implements Intake.Original {
        final List<String> made = new ArrayList<>();

        @Override
        public void toMaster(ImageId id, String contentType) {
            made.add("originals/" + id.value() + " " + contentType);
        }

        @Override
        public void toQuarantine(ImageId id, String contentType) {
            made.add("quarantine/" + id.value() + " " + contentType);
        }
    }

    @Test
    void aLargeUploadIsExaminedFromItsFileAndCopiedInsideTheStore(@TempDir Path dir) throws IOException {
        ImageRecord r = processing();
        Path file = Files.write(dir.resolve("upload.part"), JPEG);
        model.labels = List.of(NUDITY);
        Intake.Examined examined = intake.examine(file);
        Copies copies = new Copies();

        ImageRecord done = intake.complete(r, copies, examined, JPEG.length, "abc").orElseThrow();

        assertEquals(ImageStatus.BLURRED, done.status());
        assertEquals(List.of("quarantine/" + r.id().value() + " image/jpeg"), copies.made);
        assertEquals("image/jpeg", originals.get(r.id()).orElseThrow().contentType(), "the blurred master");
        ImageRecord stored = records.get(r.id()).orElseThrow();
        assertEquals(done, stored, "the returned record is the stored one");
        assertEquals(JPEG.length, stored.bytes());
        assertEquals("abc", stored.sha256());
        assertEquals(r.createdAt(), stored.createdAt());
        ObjectNode uploaded = events.ofType(DomainEvent.IMAGE_UPLOADED).getFirst().detail();
        assertEquals("multipart", uploaded.get("via").asText());
        assertEquals("BLURRED", uploaded.get("status").asText());
        assertEquals("multipart", usage().getFirst().source());

        assertTrue(intake.complete(r, copies, examined, JPEG.length, "abc").isEmpty(),
                "a second delivery finds the image finished");
        assertEquals(1, events.ofType(DomainEvent.IMAGE_UPLOADED).size());
    }

    @Test
    void aFailedLargeUploadIsAnnouncedAsFailed() {
        ImageRecord r = processing();
        assertTrue(intake.fail(r.id(), "Corrupt image: truncated"));
        assertEquals(ImageStatus.FAILED, records.get(r.id()).orElseThrow().status());
        ObjectNode uploaded = events.ofType(DomainEvent.IMAGE_UPLOADED).getFirst().detail();
        assertEquals("FAILED", uploaded.get("status").asText());
        assertTrue(events.ofType(DomainEvent.IMAGE_MODERATED).isEmpty(), "never moderated");
        assertFalse(intake.fail(r.id(), "again"), "already finished");
    }

    // ------------------------------------------------------------ re-moderation

    @Test
    void remoderationRearrangesTheObjectsAndAnnouncesTheNewVerdict() {
        ImageRecord first = intake.upload("dave", PNG, Intake.Via.SYNC, id -> { });
        assertTrue(records.transition(first.id(), ImageStatus.READY, ImageStatus.PROCESSING));
        model.labels = List.of(NUDITY);

        Intake.Examined examined = intake.remoderate(first, ImageStatus.READY, PNG);

        assertEquals(ImageStatus.BLURRED, examined.status());
        assertEquals(ImageStatus.BLURRED, records.get(first.id()).orElseThrow().status());
        assertArrayEquals(PNG, originals.getQuarantine(first.id()).orElseThrow().bytes());
        assertNotEquals("image/png", originals.get(first.id()).orElseThrow().contentType());
        List<DomainEvent> moderated = events.ofType(DomainEvent.IMAGE_MODERATED);
        assertEquals(2, moderated.size());
        assertEquals("remoderation", moderated.get(1).detail().get("via").asText());
        assertEquals("BLUR", moderated.get(1).detail().get("action").asText());

        // and back: ALLOW restores the original as master and removes the quarantine copy
        assertTrue(records.transition(first.id(), ImageStatus.BLURRED, ImageStatus.PROCESSING));
        model.labels = List.of();
        intake.remoderate(first, ImageStatus.BLURRED, PNG);
        assertArrayEquals(PNG, originals.get(first.id()).orElseThrow().bytes());
        assertTrue(originals.getQuarantine(first.id()).isEmpty());
        assertEquals("ALLOW", events.ofType(DomainEvent.IMAGE_MODERATED).get(2).detail().get("action").asText());
    }

    @Test
    void remoderationWithTheModelDownRestoresThePreviousStatus() {
        ImageRecord first = intake.upload("dave", PNG, Intake.Via.SYNC, id -> { });
        assertTrue(records.transition(first.id(), ImageStatus.READY, ImageStatus.PROCESSING));
        model.down = true;
        assertThrows(UpstreamFailure.class, () -> intake.remoderate(first, ImageStatus.READY, PNG));
        assertEquals(ImageStatus.READY, records.get(first.id()).orElseThrow().status());
        assertArrayEquals(PNG, originals.get(first.id()).orElseThrow().bytes());
        assertEquals(1, events.ofType(DomainEvent.IMAGE_MODERATED).size(), "only the upload's verdict");
    }

    @Test
    void remoderationThatCannotWriteLeavesTheImageFailed() {
        ImageRecord first = intake.upload("dave", PNG, Intake.Via.SYNC, id -> { });
        assertTrue(records.transition(first.id(), ImageStatus.READY, ImageStatus.PROCESSING));
        model.labels = List.of(GORE);
        originals.failWrites = true;
        assertThrows(UpstreamFailure.class, () -> intake.remoderate(first, ImageStatus.READY, PNG));
        assertEquals(ImageStatus.FAILED, records.get(first.id()).orElseThrow().status());
        assertArrayEquals(PNG, originals.get(first.id()).orElseThrow().bytes(), "nothing lost");
    }

    @Test
    void anAdapterThatThrowsDoesNotUndoTheOutcome() {
        Intake throwing = new Intake(config, engine, moderation, originals, records, Usage.none(CLOCK),
                e -> { throw new IllegalStateException("bus adapter bug"); }, CLOCK);
        ImageRecord done = throwing.upload("erin", PNG, Intake.Via.SYNC, id -> { });
        assertEquals(ImageStatus.READY, records.get(done.id()).orElseThrow().status());
    }
}
