package io.imagescaler.cdk;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.sqs.DeadLetterQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.sqs.QueueProps;
import software.constructs.Construct;

/**
 * An SQS standard queue and the dead-letter queue its redrive policy moves a message to after
 * {@code maxReceiveCount} receives. Both are encrypted with SQS-managed keys and refuse requests without TLS; the
 * dead letters are kept for SQS's maximum of 14 days, long enough for someone to look and redrive.
 *
 * @param queue       where work is sent
 * @param deadLetters where a message that failed {@code maxReceiveCount} times ends up
 */
record WorkQueue(Queue queue, Queue deadLetters) {

    static WorkQueue create(Construct scope, String id, String name, int maxReceiveCount, Duration visibilityTimeout) {
        Queue dlq = new Queue(scope, id + "Dlq", QueueProps.builder()
                .queueName(name + "-dlq")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build());
        Queue queue = new Queue(scope, id, QueueProps.builder()
                .queueName(name)
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .visibilityTimeout(visibilityTimeout)
                .deadLetterQueue(DeadLetterQueue.builder().queue(dlq).maxReceiveCount(maxReceiveCount).build())
                .build());
        return new WorkQueue(queue, dlq);
    }

    /**
     * AWS's guidance for a queue that a Lambda event source mapping reads: a visibility timeout of six times the
     * function's timeout, so a message is not handed out again while a (retried) invocation may still hold it.
     */
    static Duration visibilityFor(int functionTimeoutSeconds) {
        return Duration.seconds(6L * functionTimeoutSeconds);
    }
}
