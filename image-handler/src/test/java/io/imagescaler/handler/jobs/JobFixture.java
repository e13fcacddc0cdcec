package io.imagescaler.handler.jobs;

import io.imagescaler.handler.analytics.Usage;
import io.imagescaler.handler.config.HandlerConfig;
import io.imagescaler.handler.error.ImageScalerException.UpstreamFailure;
import io.imagescaler.handler.events.Events;
import io.imagescaler.handler.idempotency.IdempotentRequests;
import io.imagescaler.handler.intake.Intake;
import io.imagescaler.handler.intake.MemoryStores;
import io.imagescaler.handler.images.ImageRecord;
import io.imagescaler.handler.images.ImageService;
import io.imagescaler.handler.images.ImageStatus;
import io.imagescaler.handler.moderation.ModerationCheck;
import io.imagescaler.handler.notification.Mailer;
import io.imagescaler.handler.notification.UploadNotifications;
import io.imagescaler.handler.notification.Webhooks;
import io.imagescaler.handler.transform.EngineSelection;
import io.imagescaler.handler.transform.TransformEngine;
import io.imagescaler.handler.upscale.SuperResolution;
import io.imagescaler.handler.upscale.Upscaler;
import io.imagescaler.spec.ImageId;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The jobs' use cases over in-memory ports with a fixed clock: the real engine (libvips) and the real
 * ImageService; stores, queue, mail and the SR endpoint are in memory. Switches let a test make a port fail.
 */
final class JobFixture {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T08:00:00Z"), ZoneOffset.UTC);
    static final Duration STUCK_AFTER = Duration.ofHours(1);
    static final TransformEngine ENGINE = EngineSelection.select(EngineSelection.Choice.NATIVE);

    final MemoryStores.MemoryImageRecords records = new MemoryStores.MemoryImageRecords();
    final MemoryStores.MemoryOriginals originals = new MemoryStores.MemoryOriginals();
    final MemoryStores.MemoryVariants generated = new MemoryStores.MemoryVariants();
    final MemoryJobs jobs = new MemoryJobs();
    final MemoryQueue queue = new MemoryQueue();
    final MemoryMailer mail = new MemoryMailer();
    final Events.Recorded events = new Events.Recorded();
    final DoublingUpscaler upscaler = new DoublingUpscaler();
    final HandlerConfig config = HandlerConfig.fromEnvironment(Map.of("MAIL_FROM", "jobs@test.example")::get);
    final ImageService images;
    final JobService service;
    final JobWorker worker;

    JobFixture() {
        Usage usage = Usage.none(CLOCK);
        IdempotentRequests idempotency = new IdempotentRequests(new MemoryStores.MemoryKeys(CLOCK), CLOCK,
                Duration.ofMinutes(2));
        var intake = new Intake(config, ENGINE,
                new ModerationCheck(Optional.empty(), config.moderation().policy(), ENGINE, CLOCK), originals, records,
                usage, events, CLOCK);
        images = new ImageService(config, originals, generated, records, ENGINE,
                new SuperResolution(Optional.of(upscaler), ENGINE, 4_000_000), intake, id -> "none", idempotency, usage,
                events, CLOCK);
        Webhooks webhooks = new Webhooks(new Webhooks.Settings(Optional.of("test-secret"), true, 2,
                Duration.ofMillis(10)), CLOCK);
        service = new JobService(jobs, queue, new UploadNotifications(webhooks, Optional.of(mail)), idempotency,
                usage, config.limits(), CLOCK);
        worker = new JobWorker(jobs, images, generated, key -> Optional.of(URI.create("https://cdn.test/" + key
                + "?Expires=1&Signature=s&Key-Pair-Id=K")), webhooks, Optional.of(mail), events, usage, 3, STUCK_AFTER, CLOCK);
    }

    /** A READY image whose original is {@code bytes} (a PNG or JPEG of the given size). */
    ImageRecord image(byte[] bytes, String type, int width, int height) {
        ImageId id = ImageId.random();
        ImageRecord record = new ImageRecord(id, "alice", ImageStatus.READY, type, width, height, 1, bytes.length,
                "sha", CLOCK.instant(), Optional.empty(), Optional.empty(), Optional.empty());
        records.items.put(id, record);
        originals.put(id, bytes, type);
        return record;
    }

    static final class MemoryJobs implements Jobs {
        final Map<String, Job> map = new ConcurrentHashMap<>();

        public boolean create(Job job) {
            return map.putIfAbsent(job.id(), job) == null;
        }

        public Optional<Job> get(String id) {
            return Optional.ofNullable(map.get(id));
        }

        public synchronized boolean replace(Job next, Set<JobStatus> expected) {
            Job now = map.get(next.id());
            if (now == null || !expected.contains(now.status())) {
                return false;
            }
            map.put(next.id(), next);
            return true;
        }

        public List<Job> processingSince(Instant updatedBefore) {
            return map.values().stream().filter(j -> j.status() == JobStatus.PROCESSING
                    && j.updatedAt().isBefore(updatedBefore)).toList();
        }

        public void delete(String id) {
            map.remove(id);
        }
    }

    static final class MemoryQueue implements JobQueue {
        final List<String> sent = new ArrayList<>();
        volatile boolean refuses;

        public synchronized void send(String jobId) {
            if (refuses) {
                throw new UpstreamFailure("the jobs queue (SQS) failed (test); try again", null);
            }
            sent.add(jobId);
        }
    }

    /** Keeps what it sent; addresses in {@code bounce.invalid} are refused for good, {@code down} fails them all. */
    static final class MemoryMailer implements Mailer {
        final List<String[]> sent = new ArrayList<>();
        volatile boolean down;

        public synchronized void send(String to, String subject, String text) {
            if (to.endsWith("@bounce.invalid")) {
                throw new Rejected("550 mailbox unavailable: " + to, null);
            }
            if (down) {
                throw new IllegalStateException("connection refused");
            }
            sent.add(new String[] {to, subject, text});
        }
    }

    /** The SR port, answering with a plain doubling by the engine (what matters here is who calls it, and when). */
    static final class DoublingUpscaler implements Upscaler {
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean down;

        public SortedSet<Integer> scales() {
            return new TreeSet<>(List.of(2));
        }

        public byte[] upscale(byte[] image, int scale) {
            calls.incrementAndGet();
            if (down) {
                throw new UpscaleFailed("the endpoint answered 500 (test)", null);
            }
            var info = ENGINE.probe(image, io.imagescaler.handler.transform.Limits.DEFAULT);
            var spec = io.imagescaler.spec.TransformSpec.builder().width(info.width() * scale)
                    .upscale(io.imagescaler.spec.Upscale.LANCZOS).build();
            return ENGINE.render(image, info, spec, io.imagescaler.spec.ImageFormat.PNG,
                    io.imagescaler.handler.transform.Limits.DEFAULT).bytes();
        }
    }
}
