package io.imagescaler.handler.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.imagescaler.handler.images.ImageRecord;
import io.imagescaler.handler.images.ImageStatus;
import io.imagescaler.handler.moderation.ModerationVerdict;
import io.imagescaler.handler.transform.Rendered;
import io.imagescaler.handler.transform.StageTimings;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.ImageId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** What each hook of the use cases puts in the lake, over an in-memory event log and a fixed clock. */
class UsageTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:15:30Z");
    private final List<UsageEvent> lake = new CopyOnWriteArrayList<>();
    private final UsageEvents events = new UsageEvents(batch -> {
        lake.addAll(batch);
        return 0;
    }, Duration.ofMinutes(5), line -> { });
    private final Usage usage = new Usage(events, Clock.fixed(NOW, ZoneOffset.UTC));
    private final ModerationVerdict blur = new ModerationVerdict(ModerationVerdict.Action.BLUR, List.of(), "model-1",
            "Violence (90%)", NOW);
    private final ImageRecord image = new ImageRecord(ImageId.random(), "alice", ImageStatus.BLURRED, "image/jpeg",
            800, 600, 1, 12_345, "sha", NOW, Optional.empty(), Optional.of(blur), Optional.of("Violence (90%)"));

    @Test
    void anUploadIsAnUploadAndAVerdict() {
        usage.uploaded(image, "sync");
        events.flush();
        assertEquals(2, lake.size());
        UsageEvent upload = lake.get(0);
        assertEquals(UsageEvent.Type.UPLOAD, upload.type());
        assertEquals(NOW, upload.time());
        assertEquals("alice", upload.owner());
        assertEquals("jpg", upload.format());
        assertEquals(12_345L, upload.bytes());
        assertEquals(800, upload.width());
        assertEquals("sync", upload.source());
        UsageEvent verdict = lake.get(1);
        assertEquals(UsageEvent.Type.MODERATION, verdict.type());
        assertEquals("BLUR", verdict.verdict());
        assertEquals("Violence (90%)", verdict.reason());
    }

    @Test
    void rendersSrCallsRemoderationsAndDeletes() {
        StageTimings timings = new StageTimings().record("decode", 3).record("resize", 4).record("encode", 5);
        Rendered webp = new Rendered(new byte[321], ImageFormat.WEBP, 64, 48, timings);
        usage.rendered(image, "w_64.webp", webp);
        Rendered sr = new Rendered(new byte[999], ImageFormat.PNG, 1600, 1200,
                new StageTimings().record("sr-prepare", 10).record("sr", 1234.4).record("encode", 20));
        usage.superResolved(image, "w_1600,up_sr.png", sr, "sr-x2");
        usage.remoderated(image, new ModerationVerdict(ModerationVerdict.Action.ALLOW, List.of(), "model-2", "clean", NOW));
        usage.deleted(image);
        events.flush();
        assertEquals(List.of(UsageEvent.Type.RENDER, UsageEvent.Type.SR, UsageEvent.Type.MODERATION,
                UsageEvent.Type.DELETE), lake.stream().map(UsageEvent::type).toList());
        UsageEvent render = lake.get(0);
        assertEquals("webp", render.format(), "the output's format");
        assertEquals("image/jpeg", render.contentType(), "the original's type");
        assertEquals(12L, render.durationMs(), "decode + resize + encode");
        assertEquals(321L, render.bytes());
        assertEquals("w_64.webp", render.transform());
        assertEquals(1234L, lake.get(1).durationMs(), "time in the SR endpoint only");
        assertEquals("sr-x2", lake.get(1).source());
        assertEquals("ALLOW", lake.get(2).verdict());
        assertNull(lake.get(2).reason(), "an ALLOW has no reason");
        assertEquals("remoderation", lake.get(2).source());
        assertEquals(12_345L, lake.get(3).bytes());
    }

    @Test
    void aBrokenEventIsDroppedNotThrown() {
        ImageRecord broken = new ImageRecord(ImageId.random(), "bob", ImageStatus.READY, null, 1, 1, 1, 1, "s", NOW,
                Optional.empty(), Optional.empty(), Optional.empty());
        usage.deleted(broken);              // a null media type is fine (format absent)
        usage.rendered(broken, "w_1.png", null);   // a null render: logged, nothing thrown
        events.flush();
        assertEquals(1, lake.size());
    }
}
