package io.imagescaler.handler.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.handler.events.DomainEvent;
import io.imagescaler.handler.images.ImageRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The worker over in-memory ports: what a job ends as, what is stored, who is told, and what a redelivery does. */
class JobWorkerTest {
    private final JobFixture f = new JobFixture();
    private final ImageRecord dice = f.image(read("png-rgba-dice-800x600.png"), "image/png", 800, 600);

    @Test
    void aJobWithoutRecipientEndsProcessedWithItsResultsStored() {
        Job job = submit("{\"transforms\": [\"w_200.png\", \"w_100,h_100,fit_cover.webp\"]}");
        assertEquals(JobWorker.Outcome.DONE, f.worker.run(job.id(), 1));

        Job done = f.jobs.get(job.id()).orElseThrow();
        assertEquals(JobStatus.PROCESSED, done.status());
        assertEquals(1, done.attempts());
        assertEquals(2, done.results().size());
        Job.Result first = done.results().get(0);
        assertEquals("processed/" + job.id() + "/1-w_200.png", first.key());
        assertEquals(200, first.width());
        assertEquals(150, first.height());
        assertEquals("image/png", f.generated.get(first.key()).orElseThrow().contentType());
        Job.Result second = done.results().get(1);
        assertEquals("image/webp", second.contentType());
        assertEquals(100, second.width());
        assertEquals(100, second.height());
        assertEquals(1, f.events.ofType(DomainEvent.JOB_PROCESSED).size());
        assertEquals("PROCESSED", f.events.ofType(DomainEvent.JOB_PROCESSED).get(0).detail().get("status").asText());
        assertTrue(f.events.ofType(DomainEvent.JOB_DELIVERED).isEmpty());
        assertTrue(f.mail.sent.isEmpty());
    }

    @Test
    void anSrJobCallsTheUpscalerAndIsDeliveredByEmailWithTheSignedLink() {
        Job job = submit("{\"transform\": \"w_1600,up_sr.png\", \"notify\": {\"email\": \"bob@example.com\"}}");
        f.worker.run(job.id(), 1);

        Job done = f.jobs.get(job.id()).orElseThrow();
        assertEquals(JobStatus.DELIVERED, done.status(), () -> done.reason().orElse(""));
        assertEquals(1, f.upscaler.calls.get());
        assertEquals(1600, done.results().get(0).width());
        assertEquals("sr-x2", done.results().get(0).method());
        assertEquals(1, f.mail.sent.size());
        assertEquals("bob@example.com", f.mail.sent.get(0)[0]);
        assertTrue(f.mail.sent.get(0)[2].contains("https://cdn.test/processed/" + job.id() + "/1-w_1600,up_sr.png?"),
                f.mail.sent.get(0)[2]);
        assertEquals("DELIVERED", f.events.ofType(DomainEvent.JOB_DELIVERED).get(0).detail().get("status").asText());
    }

    @Test
    void aRejectedAddressEndsNotDeliveredWithTheReason() {
        Job job = submit("{\"transform\": \"w_200.jpg\", \"notify\": {\"email\": \"nobody@bounce.invalid\"}}");
        assertEquals(JobWorker.Outcome.DONE, f.worker.run(job.id(), 1));

        Job done = f.jobs.get(job.id()).orElseThrow();
        assertEquals(JobStatus.NOT_DELIVERED, done.status());
        assertTrue(done.reason().orElseThrow().contains("550 mailbox unavailable"), done.reason().orElseThrow());
        assertEquals(1, done.results().size());
        assertEquals("NOT_DELIVERED",
                f.events.ofType(DomainEvent.JOB_DELIVERED).get(0).detail().get("status").asText());
    }

    @Test
    void aMailServiceOutageIsRetriedByTheQueueAndDeliveredOnce() {
        Job job = submit("{\"transform\": \"w_200.jpg\", \"notify\": {\"email\": \"bob@example.com\"}}");
        f.mail.down = true;
        assertEquals(JobWorker.Outcome.RETRY, f.worker.run(job.id(), 1));
        assertEquals(JobStatus.PROCESSED, f.jobs.get(job.id()).orElseThrow().status());

        f.mail.down = false;
        assertEquals(JobWorker.Outcome.DONE, f.worker.run(job.id(), 2));
        assertEquals(JobStatus.DELIVERED, f.jobs.get(job.id()).orElseThrow().status());
        // a late duplicate of the message changes nothing and sends nothing
        assertEquals(JobWorker.Outcome.DONE, f.worker.run(job.id(), 3));
        assertEquals(1, f.mail.sent.size());
        assertEquals(1, f.events.ofType(DomainEvent.JOB_PROCESSED).size());
        assertEquals(1, f.events.ofType(DomainEvent.JOB_DELIVERED).size());
    }

    @Test
    void aFailingDependencyIsRetriedAndTheLastAttemptMarksTheJobFailed() {
        Job job = submit("{\"transform\": \"w_1600,up_sr.png\"}");
        f.upscaler.down = true;
        assertEquals(JobWorker.Outcome.RETRY, f.worker.run(job.id(), 1));
        assertEquals(JobStatus.PROCESSING, f.jobs.get(job.id()).orElseThrow().status());
        assertEquals(JobWorker.Outcome.RETRY, f.worker.run(job.id(), 2));
        // the third receive is the redrive policy's last: FAILED, and the message is left for the dead-letter queue
        assertEquals(JobWorker.Outcome.RETRY, f.worker.run(job.id(), 3));
        Job failed = f.jobs.get(job.id()).orElseThrow();
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals(3, failed.attempts());
        assertTrue(failed.reason().orElseThrow().contains("super-resolution failed"), failed.reason().orElseThrow());
        assertEquals("FAILED", f.events.ofType(DomainEvent.JOB_PROCESSED).get(0).detail().get("status").asText());
    }

    @Test
    void aCrashedAttemptIsRedoneAndKeepsTheFirstStoredObject() {
        Job job = submit("{\"transform\": \"w_300.png\"}");
        // a worker that died after storing the result but before finishing the record
        f.jobs.replace(job.started(JobFixture.CLOCK.instant()), java.util.Set.of(JobStatus.QUEUED));
        String key = "processed/" + job.id() + "/1-w_300.png";
        f.generated.putIfAbsent(key, new byte[] {1, 2, 3}, "image/png", "private");

        assertEquals(JobWorker.Outcome.DONE, f.worker.run(job.id(), 2));
        Job done = f.jobs.get(job.id()).orElseThrow();
        assertEquals(JobStatus.PROCESSED, done.status());
        assertEquals(2, done.attempts());
        assertEquals(3, f.generated.get(key).orElseThrow().bytes().length);
    }

    @Test
    void aJobWhoseImageWasDeletedFailsAtOnce() {
        Job job = submit("{\"transform\": \"w_300.png\"}");
        f.records.delete(dice.id());
        assertEquals(JobWorker.Outcome.DONE, f.worker.run(job.id(), 1));
        Job failed = f.jobs.get(job.id()).orElseThrow();
        assertEquals(JobStatus.FAILED, failed.status());
        assertTrue(failed.reason().orElseThrow().contains("no image with id"), failed.reason().orElseThrow());
    }

    @Test
    void theSweepFailsOnlyJobsWhoseLastAttemptDied() {
        Job lost = submit("{\"transform\": \"w_300.png\"}");
        Job waiting = submit("{\"transform\": \"w_300.png\"}");
        Job recent = submit("{\"transform\": \"w_300.png\"}");
        var now = JobFixture.CLOCK.instant();
        // started an hour and a minute ago and never moved again; started a minute ago; still QUEUED for hours
        f.jobs.replace(lost.started(now.minus(JobFixture.STUCK_AFTER).minusSeconds(60)), java.util.Set.of(JobStatus.QUEUED));
        f.jobs.replace(recent.started(now.minusSeconds(60)), java.util.Set.of(JobStatus.QUEUED));
        f.jobs.map.put(waiting.id(), new Job(waiting.id(), waiting.imageId(), waiting.owner(), waiting.transforms(),
                waiting.email(), waiting.webhook(), JobStatus.QUEUED, Optional.empty(), 0, java.util.List.of(),
                java.util.List.of(), now.minus(java.time.Duration.ofHours(5)), now.minus(java.time.Duration.ofHours(5))));

        assertEquals(1, f.worker.sweep());
        Job swept = f.jobs.get(lost.id()).orElseThrow();
        assertEquals(JobStatus.FAILED, swept.status());
        assertTrue(swept.reason().orElseThrow().startsWith("lost: no attempt finished within 60 min"), swept.reason().orElseThrow());
        assertEquals(JobStatus.PROCESSING, f.jobs.get(recent.id()).orElseThrow().status());
        assertEquals(JobStatus.QUEUED, f.jobs.get(waiting.id()).orElseThrow().status(), "a backlog is not a loss");
        assertEquals("FAILED", f.events.ofType(DomainEvent.JOB_PROCESSED).get(0).detail().get("status").asText());
        assertEquals(0, f.worker.sweep(), "nothing left to sweep");
    }

    @Test
    void aMessageForAnUnknownJobIsDropped() {
        assertEquals(JobWorker.Outcome.DONE, f.worker.run("A".repeat(43), 1));
    }

    private Job submit(String body) {
        return f.service.submit(dice, "alice", body.getBytes(), Optional.empty()).job();
    }

    static byte[] read(String name) {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("testdata/images"))) {
            p = p.getParent();
        }
        try {
            return Files.readAllBytes(p.resolve("testdata/images").resolve(name));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
