package io.imagescaler.handler.jobs;

import io.imagescaler.handler.analytics.Usage;
import io.imagescaler.handler.error.ImageScalerException;
import io.imagescaler.handler.error.ImageScalerException.Conflict;
import io.imagescaler.handler.error.ImageScalerException.InvalidRequest;
import io.imagescaler.handler.error.ImageScalerException.NotFound;
import io.imagescaler.handler.error.ImageScalerException.UpstreamFailure;
import io.imagescaler.handler.idempotency.IdempotentRequests;
import io.imagescaler.handler.images.ImageRecord;
import io.imagescaler.handler.notification.UploadNotifications;
import io.imagescaler.handler.transform.Limits;
import io.imagescaler.spec.ImageId;
import io.imagescaler.spec.VariantPath;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Submitting and reading jobs. A submit checks everything it can before anything is written (the image is
 * servable, every transform parses and fits the output limits, the recipients are valid), writes the QUEUED
 * record, then queues it; a refused send deletes the record again, so a failed submit leaves nothing behind.
 */
public final class JobService {
    private static final int ID_ATTEMPTS = 3;

    private final Jobs jobs;
    private final JobQueue queue;
    private final UploadNotifications recipients;
    private final IdempotentRequests idempotency;
    private final Usage usage;
    private final Limits limits;
    private final Clock clock;

    public JobService(Jobs jobs, JobQueue queue, UploadNotifications recipients, IdempotentRequests idempotency,
                      Usage usage, Limits limits, Clock clock) {
        this.jobs = jobs;
        this.queue = queue;
        this.recipients = recipients;
        this.idempotency = idempotency;
        this.usage = usage;
        this.limits = limits;
        this.clock = clock;
    }

    /** A submit's answer; {@code replayed} when a retry with the same Idempotency-Key got the first job. */
    public record Submitted(Job job, boolean replayed) {
    }

    /**
     * @param image the image, already read and checked for its owner by the caller (the route)
     * @param body  the request body ({@link JobRequest})
     */
    public Submitted submit(ImageRecord image, String caller, byte[] body, Optional<String> idempotencyKey) {
        // job ids have the image ids' shape: the idempotency store remembers either as the id it made
        var result = idempotency.call("jobs#" + caller, idempotencyKey, body,
                () -> submit(image, body), job -> new ImageId(job.id()),
                id -> jobs.get(id.value()).orElseThrow(() -> new Conflict(
                        "the job created with this Idempotency-Key no longer exists")));
        return new Submitted(result.value(), result.replayed());
    }

    private Job submit(ImageRecord image, byte[] body) {
        if (!image.status().servable()) {
            throw new Conflict("image " + image.id() + " is " + image.status() + "; jobs need a servable image");
        }
        JobRequest request = JobRequest.parse(body);
        for (VariantPath path : request.transforms()) {
            int side = Math.max(path.transform().pixelWidth(), path.transform().pixelHeight());
            if (side > limits.maxOutputSide()) {
                throw new InvalidRequest("transform '" + path.canonical() + "' asks for " + side
                        + " px; the largest output side is " + limits.maxOutputSide() + " px");
            }
        }
        Optional<URI> webhook = request.webhook().map(recipients::validateWebhook);
        Optional<String> email = request.email().map(recipients::validateEmail);
        List<String> transforms = request.transforms().stream().map(VariantPath::canonical).toList();
        var now = clock.instant();
        Job job = null;
        for (int attempt = 0; attempt < ID_ATTEMPTS && job == null; attempt++) {
            Job candidate = new Job(ImageId.random().value(), image.id(), image.owner(), transforms, email, webhook,
                    JobStatus.QUEUED, Optional.empty(), 0, List.of(), List.of(), now, now);
            if (jobs.create(candidate)) {
                job = candidate;
            }
        }
        if (job == null) {
            throw new UpstreamFailure("could not draw an unused job id", null);
        }
        try {
            queue.send(job.id());
        } catch (RuntimeException e) {
            try {
                jobs.delete(job.id());
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e instanceof ImageScalerException ise ? ise
                    : new UpstreamFailure("the job could not be queued; nothing was kept, try again", e);
        }
        usage.job(job.owner(), job.imageId().value(), job.id(), job.status().name(), null, transforms.size());
        return job;
    }

    /** The job, for its owner (checked by the caller with the returned record's owner). */
    public Job get(String id) {
        if (!ImageId.isValid(id)) {
            throw new NotFound("'" + (id.length() > 60 ? id.substring(0, 60) + "…" : id)
                    + "' is not a job id (43 URL-safe base64 characters)");
        }
        return jobs.get(id).orElseThrow(() -> new NotFound("no job with id " + id));
    }
}
