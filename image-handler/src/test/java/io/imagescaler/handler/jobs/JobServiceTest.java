package io.imagescaler.handler.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.handler.error.ImageScalerException;
import io.imagescaler.handler.images.ImageRecord;
import io.imagescaler.handler.images.ImageStatus;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Submitting jobs: what is checked before anything is written, and what a refused queue leaves behind. */
class JobServiceTest {
    private final JobFixture f = new JobFixture();
    private final ImageRecord dice = f.image(JobWorkerTest.read("png-rgba-dice-800x600.png"), "image/png", 800, 600);

    @Test
    void aSubmitWritesAQueuedRecordAndSendsItsId() {
        var submitted = f.service.submit(dice, "alice",
                "{\"transforms\": [\"w_4000,up_sr.png\", \"p_thumb.webp\"], \"notify\": {\"email\": \"a@example.com\"}}"
                        .getBytes(), Optional.empty());
        Job job = submitted.job();
        assertEquals(JobStatus.QUEUED, job.status());
        assertEquals(java.util.List.of("w_4000,up_sr.png", "p_thumb.webp"), job.transforms());
        assertEquals(Optional.of("a@example.com"), job.email());
        assertEquals(java.util.List.of(job.id()), f.queue.sent);
        assertEquals(job, f.jobs.get(job.id()).orElseThrow());
        assertEquals(JobFixture.CLOCK.instant(), job.createdAt());
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingIsWritten() {
        for (String body : new String[] {"", "[]", "{\"transform\": \"w_200.auto\"}", "{\"transform\": \"w_200\"}",
                "{\"transform\": \"w_200,zz_1.png\"}", "{\"transforms\": []}", "{\"transform\": \"w_9000.png\"}",
                "{\"transform\": \"w_200.png\", \"transforms\": [\"w_100.png\"]}",
                "{\"transform\": \"w_200.png\", \"notify\": {\"email\": \"not-an-address\"}}",
                "{\"transform\": \"w_200.png\", \"notify\": {\"webhook\": \"ftp://example.com/x\"}}"}) {
            var e = assertThrows(ImageScalerException.InvalidRequest.class,
                    () -> f.service.submit(dice, "alice", body.getBytes(), Optional.empty()), body);
            assertTrue(!e.getMessage().isBlank());
        }
        assertTrue(f.jobs.map.isEmpty());
        assertTrue(f.queue.sent.isEmpty());
    }

    @Test
    void aJobNeedsAServableImage() {
        f.records.items.put(dice.id(), dice.withStatus(ImageStatus.REJECTED));
        assertThrows(ImageScalerException.Conflict.class, () -> f.service.submit(
                f.records.items.get(dice.id()), "alice", "{\"transform\": \"w_200.png\"}".getBytes(), Optional.empty()));
    }

    @Test
    void aRefusedSendLeavesNoRecord() {
        f.queue.refuses = true;
        var e = assertThrows(ImageScalerException.UpstreamFailure.class, () -> f.service.submit(dice, "alice",
                "{\"transform\": \"w_200.png\"}".getBytes(), Optional.empty()));
        assertEquals(503, e.status());
        assertTrue(f.jobs.map.isEmpty());
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyIsTheSameJob() {
        byte[] body = "{\"transform\": \"w_200.png\"}".getBytes();
        var first = f.service.submit(dice, "alice", body, Optional.of("k-1"));
        var again = f.service.submit(dice, "alice", body, Optional.of("k-1"));
        assertEquals(first.job().id(), again.job().id());
        assertTrue(again.replayed());
        assertEquals(1, f.queue.sent.size());
        assertThrows(ImageScalerException.IdempotencyKeyReused.class, () -> f.service.submit(dice, "alice",
                "{\"transform\": \"w_300.png\"}".getBytes(), Optional.of("k-1")));
    }

    @Test
    void unknownJobIdsAreNotFound() {
        assertThrows(ImageScalerException.NotFound.class, () -> f.service.get("nope"));
        assertThrows(ImageScalerException.NotFound.class, () -> f.service.get("B".repeat(43)));
    }
}
