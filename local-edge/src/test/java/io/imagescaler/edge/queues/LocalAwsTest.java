package io.imagescaler.edge.queues;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** moto's server as the local SQS and EventBridge: provisioned like the stack, rules really route. */
class LocalAwsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path work;
    private static LocalAws aws;

    @BeforeAll
    static void start() throws Exception {
        aws = LocalAws.start(work, LocalAws.Options.defaults("image-storage"));
        System.out.println("moto server ready (provisioned) in " + aws.startupTime().toMillis() + " ms");
    }

    @AfterAll
    static void stop() {
        if (aws != null) {
            aws.close();
        }
    }

    @Test
    void queuesHaveTheirDeadLetterQueuesAndRedrive() throws Exception {
        for (String[] pair : new String[][] {{LocalAws.JOBS_QUEUE, LocalAws.JOBS_DLQ},
                {LocalAws.UPLOADS_QUEUE, LocalAws.UPLOADS_DLQ}}) {
            var attrs = aws.sqs().getQueueAttributes(b -> b.queueUrl(aws.queueUrl(pair[0]))
                    .attributeNames(QueueAttributeName.ALL)).attributes();
            JsonNode redrive = JSON.readTree(attrs.get(QueueAttributeName.REDRIVE_POLICY));
            assertThat(redrive.path("deadLetterTargetArn").asText()).isEqualTo(aws.queueArn(pair[1]));
            assertThat(redrive.path("maxReceiveCount").asInt()).isEqualTo(3);
            assertThat(aws.sqs().getQueueUrl(b -> b.queueName(pair[1])).queueUrl()).isEqualTo(aws.queueUrl(pair[1]));
        }
        assertThat(aws.sqs().getQueueAttributes(b -> b.queueUrl(aws.queueUrl(LocalAws.JOBS_QUEUE))
                .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT)).attributes())
                .containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "30");
    }

    @Test
    void anObjectCreatedEventForIncomingReachesTheUploadsQueueAndOthersDoNot() throws Exception {
        aws.publishObjectCreated("image-storage", "originals/not-an-upload", 12_345_678L, "\"abc-2\"", "PutObject");
        aws.publishObjectCreated("another-bucket", "incoming/abc", 12_345_678L, "abc-2", "CompleteMultipartUpload");
        aws.publishObjectCreated("image-storage", "incoming/img123", 12_345_678L, "\"abc-2\"",
                "CompleteMultipartUpload");

        String url = aws.queueUrl(LocalAws.UPLOADS_QUEUE);
        List<Message> got = aws.sqs().receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                .waitTimeSeconds(2)).messages();
        assertThat(got).hasSize(1);
        JsonNode envelope = JSON.readTree(got.getFirst().body());
        assertThat(envelope.path("source").asText()).isEqualTo("aws.s3");
        assertThat(envelope.path("detail-type").asText()).isEqualTo("Object Created");
        assertThat(envelope.at("/detail/object/key").asText()).isEqualTo("incoming/img123");
        assertThat(envelope.at("/detail/object/size").asLong()).isEqualTo(12_345_678L);
        assertThat(envelope.at("/detail/object/etag").asText()).isEqualTo("abc-2");
        assertThat(envelope.at("/detail/bucket/name").asText()).isEqualTo("image-storage");
        assertThat(envelope.at("/detail/reason").asText()).isEqualTo("CompleteMultipartUpload");
        assertThat(envelope.path("resources").get(0).asText()).isEqualTo("arn:aws:s3:::image-storage");
        assertThat(envelope.path("account").asText()).as(envelope.toString()).isEqualTo(LocalAws.ACCOUNT);
        aws.sqs().deleteMessage(b -> b.queueUrl(url).receiptHandle(got.getFirst().receiptHandle()));
        assertThat(aws.sqs().receiveMessage(b -> b.queueUrl(url).waitTimeSeconds(1)).messages()).isEmpty();
    }

    @Test
    void eventsPublishedOnTheServiceBusReachTheTap() throws Exception {
        PutEventsResponse put = aws.events().putEvents(b -> b.entries(
                e -> e.eventBusName(LocalAws.EVENT_BUS).source("image-scaler").detailType("image_uploaded")
                        .detail("{\"imageId\":\"i1\",\"owner\":\"u1\"}"),
                e -> e.eventBusName(LocalAws.EVENT_BUS).source("someone-else").detailType("image_uploaded")
                        .detail("{\"imageId\":\"i2\"}")));
        assertThat(put.failedEntryCount()).isZero();
        List<JsonNode> published = aws.drainPublishedEvents(Duration.ofSeconds(5));
        assertThat(published).hasSize(1);
        assertThat(published.getFirst().path("detail-type").asText()).isEqualTo("image_uploaded");
        assertThat(published.getFirst().at("/detail/imageId").asText()).isEqualTo("i1");
        assertThat(published.getFirst().path("account").asText()).isEqualTo(LocalAws.ACCOUNT);
        assertThat(published.getFirst().path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(published.getFirst().path("id").asText()).isNotEmpty();
        assertThat(aws.drainPublishedEvents(Duration.ZERO)).isEmpty();
    }

    @Test
    void closeStopsTheServerProcess(@TempDir Path other) throws Exception {
        LocalAws second = LocalAws.start(other, LocalAws.Options.defaults("image-storage"));
        long pid = second.pid();
        assertThat(ProcessHandle.of(pid)).isPresent();
        second.close();
        Optional<ProcessHandle> after = ProcessHandle.of(pid);
        assertThat(after.map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(second.running()).isFalse();
    }

    @Test
    void aMissingPythonIsNamedInTheError(@TempDir Path other) {
        var options = new LocalAws.Options("/nonexistent/python3.11", "image-storage", 3, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(5));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LocalAws.start(other, options))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("/nonexistent/python3.11")
                .hasMessageContaining("moto");
    }

}
