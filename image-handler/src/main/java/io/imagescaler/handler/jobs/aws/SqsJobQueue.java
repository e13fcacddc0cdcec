package io.imagescaler.handler.jobs.aws;

import io.imagescaler.handler.jobs.JobQueue;
import software.amazon.awssdk.services.sqs.SqsClient;

/** {@link JobQueue} on an SQS standard queue: one message {@code {"jobId":"..."}} per job. */
public final class SqsJobQueue implements JobQueue {
    private final SqsClient sqs;
    private final String queueUrl;

    public SqsJobQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void send(String jobId) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"jobId\":\"" + jobId + "\"}"));
    }
}
