package io.imagescaler.handler.jobs;

/** Where submitted jobs wait for a worker (SQS, with a dead-letter queue). */
public interface JobQueue {

    /** Queues the job; throws an {@link io.imagescaler.handler.error.ImageScalerException.UpstreamFailure} if refused. */
    void send(String jobId);
}
