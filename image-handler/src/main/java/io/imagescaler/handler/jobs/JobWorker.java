package io.imagescaler.handler.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagescaler.handler.analytics.Usage;
import io.imagescaler.handler.error.ImageScalerException;
import io.imagescaler.handler.events.DomainEvent;
import io.imagescaler.handler.events.Events;
import io.imagescaler.handler.images.ImageService;
import io.imagescaler.handler.notification.Mailer;
import io.imagescaler.handler.notification.Webhooks;
import io.imagescaler.handler.storage.Variants;
import io.imagescaler.spec.VariantPath;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job from the queue: renders each transform (SR through the {@code Upscaler} port when asked, the
 * engine otherwise), stores the results under {@code processed/{jobId}/} in the generated bucket, marks the job
 * PROCESSED, then tells its recipients (DELIVERED / NOT_DELIVERED).
 *
 * <p>The queue delivers at least once, so every step may run again: a redelivered message of a finished job
 * does nothing; results are written with conditional puts (a second run keeps the first object); every status
 * move is one conditional write, so when two workers hold the same job only one finishes it and tells its
 * recipients. Failures that another attempt cannot mend (the image is gone, the transform exceeds the limits,
 * the original does not decode) fail the job at once; others (a dependency down, a crash) are retried by the
 * queue, and the last attempt ({@code maxReceiveCount}, the redrive policy's) marks the job FAILED before its
 * message goes to the dead-letter queue.
 */
public final class JobWorker {
    private static final Logger LOG = LoggerFactory.getLogger(JobWorker.class);
    static final String RESULT_CACHE_CONTROL = "private, max-age=604800";

    private final Jobs jobs;
    private final ImageService images;
    private final Variants results;
    private final ResultLinks links;
    private final Webhooks webhooks;
    private final Optional<Mailer> mailer;
    private final Events events;
    private final Usage usage;
    private final int maxReceiveCount;
    private final java.time.Duration stuckAfter;
    private final Clock clock;

    /**
     * @param maxReceiveCount the queue's redrive count: the attempt that reaches it fails a failing job
     * @param stuckAfter      how long a job may sit PROCESSING without a move before {@link #sweep()} fails it
     */
    public JobWorker(Jobs jobs, ImageService images, Variants results, ResultLinks links, Webhooks webhooks,
                     Optional<Mailer> mailer, Events events, Usage usage, int maxReceiveCount,
                     java.time.Duration stuckAfter, Clock clock) {
        this.jobs = jobs;
        this.images = images;
        this.results = results;
        this.links = links;
        this.webhooks = webhooks;
        this.mailer = mailer;
        this.events = events;
        this.usage = usage;
        this.maxReceiveCount = maxReceiveCount;
        this.stuckAfter = stuckAfter;
        this.clock = clock;
    }

    /** What the queue should do with the message: delete it, or let it come back (and reach the DLQ in the end). */
    public enum Outcome { DONE, RETRY }

    /**
     * @param receiveCount the message's {@code ApproximateReceiveCount} (1 on the first delivery)
     */
    public Outcome run(String jobId, int receiveCount) {
        Optional<Job> found = jobs.get(jobId);
        if (found.isEmpty()) {
            LOG.warn("job {}: no record (deleted, or never created); message dropped", jobId);
            return Outcome.DONE;
        }
        Job job = found.get();
        return switch (job.status()) {
            case QUEUED, PROCESSING -> process(job, receiveCount);
            case PROCESSED -> job.hasRecipient() ? deliver(job, receiveCount) : Outcome.DONE;
            case DELIVERED, FAILED, NOT_DELIVERED -> {
                LOG.info("job {} is already {}; redelivered message dropped", jobId, job.status());
                yield Outcome.DONE;
            }
        };
    }

    private Outcome process(Job queued, int receiveCount) {
        Job started = queued.started(clock.instant());
        if (!jobs.replace(started, Set.of(JobStatus.QUEUED, JobStatus.PROCESSING))) {
            LOG.info("job {} changed before it started; message dropped", queued.id());
            return Outcome.DONE;
        }
        usage.job(started.owner(), started.imageId().value(), started.id(), started.status().name(), null,
                started.transforms().size());
        List<Job.Result> made = new ArrayList<>();
        try {
            for (int i = 0; i < started.transforms().size(); i++) {
                made.add(renderAndStore(started, i));
            }
        } catch (ImageScalerException e) {
            if (e.status() < 500) {
                return fail(started, e.title() + ": " + e.getMessage(), Outcome.DONE);
            }
            return retryOrFail(started, receiveCount, e);
        } catch (RuntimeException e) {
            return retryOrFail(started, receiveCount, e);
        }
        Job processed = started.processed(made, clock.instant());
        if (!jobs.replace(processed, Set.of(JobStatus.PROCESSING))) {
            LOG.info("job {} was finished by another worker meanwhile", started.id());
            return Outcome.DONE;
        }
        LOG.info("job {} PROCESSED: {} result(s), attempt {}", processed.id(), made.size(), processed.attempts());
        announce(DomainEvent.JOB_PROCESSED, processed);
        usage.job(processed.owner(), processed.imageId().value(), processed.id(), processed.status().name(), null,
                processed.transforms().size());
        return processed.hasRecipient() ? deliver(processed, receiveCount) : Outcome.DONE;
    }

    /**
     * Fails the jobs nothing will finish: PROCESSING without a move for {@code stuckAfter} (the queue's visibility
     * timeout times its redrive count), which happens when a worker dies during the last attempt: its message is in
     * the dead-letter queue and no attempt is left. Run by the scheduled sweep beside the large uploads' sweeper.
     *
     * @return how many jobs it failed
     */
    public int sweep() {
        int failed = 0;
        for (Job job : jobs.processingSince(clock.instant().minus(stuckAfter))) {
            try {
                String reason = "lost: no attempt finished within " + stuckAfter.toMinutes() + " min (the last one "
                        + "died); its message is in the dead-letter queue";
                fail(job, reason, Outcome.DONE);
                if (jobs.get(job.id()).map(j -> j.status() == JobStatus.FAILED).orElse(false)) {
                    failed++;
                }
            } catch (RuntimeException e) {
                LOG.warn("sweep: job {} not swept", job.id(), e);
            }
        }
        LOG.info("job sweep: {} stuck job(s) failed", failed);
        return failed;
    }

    private Job.Result renderAndStore(Job job, int index) {
        String transform = job.transforms().get(index);
        VariantPath path = VariantPath.parse(transform);
        ImageService.JobRendition rendition = images.renderForJob(job.imageId(), path);
        var out = rendition.rendered();
        String key = "processed/" + job.id() + "/" + (index + 1) + "-" + path.transform().canonical() + "."
                + out.format().extension();
        // a rerun of a crashed attempt finds its own earlier object and keeps it
        results.putIfAbsent(key, out.bytes(), out.format().mediaType(), RESULT_CACHE_CONTROL);
        return new Job.Result(transform, key, out.format().mediaType(), out.bytes().length, out.width(),
                out.height(), rendition.method());
    }

    private Outcome retryOrFail(Job job, int receiveCount, RuntimeException e) {
        if (receiveCount >= maxReceiveCount) {
            LOG.error("job {}: attempt {} of {} failed; the job FAILED and its message goes to the dead-letter queue",
                    job.id(), receiveCount, maxReceiveCount, e);
            return fail(job, "gave up after " + receiveCount + " attempts: " + e.getMessage(), Outcome.RETRY);
        }
        LOG.warn("job {}: attempt {} of {} failed; the queue retries it: {}", job.id(), receiveCount,
                maxReceiveCount, e.toString());
        return Outcome.RETRY;
    }

    private Outcome fail(Job job, String reason, Outcome message) {
        Job failed = job.failed(reason, clock.instant());
        if (jobs.replace(failed, Set.of(JobStatus.QUEUED, JobStatus.PROCESSING))) {
            LOG.info("job {} FAILED: {}", job.id(), reason);
            announce(DomainEvent.JOB_PROCESSED, failed);
            usage.job(failed.owner(), failed.imageId().value(), failed.id(), failed.status().name(), reason,
                    failed.transforms().size());
        }
        return message;
    }

    /**
     * Tells the recipients, email first. A transient mail failure leaves the job PROCESSED and lets the queue
     * retry (before the webhook was called, so it is not called twice); a refusal, a webhook that failed its own
     * retries, or the last attempt makes it NOT_DELIVERED with the reason.
     */
    private Outcome deliver(Job job, int receiveCount) {
        List<Job.Delivery> told = new ArrayList<>();
        if (job.email().isPresent()) {
            try {
                mailer.orElseThrow(() -> new Mailer.Rejected("no mail service is configured", null))
                        .send(job.email().get(), subject(job), mailText(job));
                told.add(new Job.Delivery("email", true, Optional.empty(), 1));
            } catch (Mailer.Rejected e) {
                told.add(new Job.Delivery("email", false, Optional.of(e.getMessage()), 1));
            } catch (RuntimeException e) {
                if (receiveCount < maxReceiveCount) {
                    LOG.warn("job {}: email to {} failed, the queue retries: {}", job.id(), job.email().get(),
                            e.toString());
                    return Outcome.RETRY;
                }
                told.add(new Job.Delivery("email", false, Optional.of(String.valueOf(e.getMessage())), receiveCount));
            }
        }
        if (job.webhook().isPresent()) {
            Webhooks.Outcome hook = webhooks.send(job.webhook().get(), "job.processed",
                    JobJson.of(job, links).toString());
            told.add(new Job.Delivery("webhook", hook.delivered(), hook.failure(), hook.attempts()));
        }
        Job done = job.told(told, clock.instant());
        if (!jobs.replace(done, Set.of(JobStatus.PROCESSED))) {
            LOG.info("job {} was delivered by another worker meanwhile", job.id());
            return Outcome.DONE;
        }
        LOG.info("job {} {}{}", done.id(), done.status(), done.reason().map(r -> ": " + r).orElse(""));
        announce(DomainEvent.JOB_DELIVERED, done);
        usage.job(done.owner(), done.imageId().value(), done.id(), done.status().name(), done.reason().orElse(null),
                done.transforms().size());
        return Outcome.DONE;
    }

    private static String subject(Job job) {
        return "image-scaler: your job " + job.id() + " is done";
    }

    private String mailText(Job job) {
        StringBuilder text = new StringBuilder("Your job for image ").append(job.imageId()).append(" is done: ")
                .append(job.results().size()).append(job.results().size() == 1 ? " result.\n\n" : " results.\n\n");
        for (Job.Result r : job.results()) {
            text.append(r.transform()).append(" (").append(r.width()).append('x').append(r.height()).append(", ")
                    .append(r.bytes()).append(" bytes)\n")
                    .append(links.link(r.key()).map(Object::toString).orElse("(no download link is configured)"))
                    .append("\n\n");
        }
        text.append("The links work for 7 days. Job status: /v1/jobs/").append(job.id()).append('\n');
        return text.toString();
    }

    private void announce(String type, Job job) {
        ObjectNode detail = JobJson.of(job, ResultLinks.NONE);
        detail.remove("notify");
        detail.remove("links");
        events.publish(new DomainEvent(type, "jobs/" + job.id(), clock.instant(), detail));
    }
}
