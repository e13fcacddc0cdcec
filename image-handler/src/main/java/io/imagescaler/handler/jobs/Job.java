package io.imagescaler.handler.jobs;

import io.imagescaler.spec.ImageId;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One asynchronous job: the work asked for one image, who to tell, and how far it got (one DynamoDB item).
 *
 * @param id         256 random bits, URL-safe base64, like image ids
 * @param transforms the canonical transform segments asked for, each with its format ({@code w_4000,up_sr.png})
 * @param attempts   how many times a worker started it (a crashed worker's message comes back)
 * @param results    what the worker stored, in the order of {@code transforms}; empty until PROCESSED
 * @param deliveries how each recipient was told; empty until DELIVERED or NOT_DELIVERED
 */
public record Job(String id, ImageId imageId, String owner, List<String> transforms, Optional<String> email,
                  Optional<URI> webhook, JobStatus status, Optional<String> reason, int attempts,
                  List<Result> results, List<Delivery> deliveries, Instant createdAt, Instant updatedAt) {

    public Job {
        transforms = List.copyOf(transforms);
        results = List.copyOf(results);
        deliveries = List.copyOf(deliveries);
    }

    /** One stored result, under {@code processed/{jobId}/} in the generated bucket. */
    public record Result(String transform, String key, String contentType, long bytes, int width, int height,
                         String method) {
    }

    /** How one recipient was told: {@code channel} email or webhook; {@code reason} when it failed. */
    public record Delivery(String channel, boolean delivered, Optional<String> reason, int attempts) {
    }

    public boolean hasRecipient() {
        return email.isPresent() || webhook.isPresent();
    }

    public Job started(Instant now) {
        return new Job(id, imageId, owner, transforms, email, webhook, JobStatus.PROCESSING, Optional.empty(),
                attempts + 1, List.of(), List.of(), createdAt, now);
    }

    public Job processed(List<Result> made, Instant now) {
        return new Job(id, imageId, owner, transforms, email, webhook, JobStatus.PROCESSED, Optional.empty(),
                attempts, made, List.of(), createdAt, now);
    }

    public Job failed(String why, Instant now) {
        return new Job(id, imageId, owner, transforms, email, webhook, JobStatus.FAILED, Optional.of(why), attempts,
                List.of(), List.of(), createdAt, now);
    }

    /** DELIVERED when every recipient was told, else NOT_DELIVERED with the first failure's reason. */
    public Job told(List<Delivery> told, Instant now) {
        Optional<String> failure = told.stream().filter(d -> !d.delivered())
                .map(d -> d.channel() + ": " + d.reason().orElse("failed")).findFirst();
        return new Job(id, imageId, owner, transforms, email, webhook,
                failure.isEmpty() ? JobStatus.DELIVERED : JobStatus.NOT_DELIVERED, failure, attempts, results, told,
                createdAt, now);
    }
}
