package io.imagescaler.handler.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.handler.images.ImageRecord;
import io.imagescaler.handler.lambda.QueueHandler;
import io.imagescaler.spec.ImageId;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The queue entry point with Lambda's own event shapes (the SQS event and S3's EventBridge envelope as AWS's docs
 * print them): which messages are done, which are reported in {@code batchItemFailures}.
 */
class QueueHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JobFixture f = new JobFixture();
    private final List<ImageId> processed = new ArrayList<>();
    private final AtomicInteger sweeps = new AtomicInteger();
    private final QueueHandler handler = new QueueHandler(f.worker, processed::add, sweeps::incrementAndGet);

    @Test
    void aJobMessageIsRunAndAPoisonMessageIsReportedAsFailed() throws Exception {
        ImageRecord dice = f.image(JobWorkerTest.read("png-rgba-dice-800x600.png"), "image/png", 800, 600);
        Job job = f.service.submit(dice, "alice", "{\"transform\":\"w_100.png\"}".getBytes(), Optional.empty()).job();
        JsonNode answer = invoke(sqsEvent(
                record("m-1", "{\"jobId\":\"" + job.id() + "\"}", 1),
                record("m-2", "not json at all", 1),
                record("m-3", "{\"hello\":\"world\"}", 2)));
        assertEquals(2, answer.get("batchItemFailures").size());
        assertEquals("m-2", answer.get("batchItemFailures").get(0).get("itemIdentifier").asText());
        assertEquals("m-3", answer.get("batchItemFailures").get(1).get("itemIdentifier").asText());
        assertEquals(JobStatus.PROCESSED, f.jobs.get(job.id()).orElseThrow().status());
    }

    @Test
    void aRetryableJobFailureIsReportedWithItsReceiveCount() throws Exception {
        ImageRecord dice = f.image(JobWorkerTest.read("png-rgba-dice-800x600.png"), "image/png", 800, 600);
        Job job = f.service.submit(dice, "alice", "{\"transform\":\"w_100.png\"}".getBytes(), Optional.empty()).job();
        f.originals.failReads = true;
        assertEquals(1, invoke(sqsEvent(record("m-1", "{\"jobId\":\"" + job.id() + "\"}", 1)))
                .get("batchItemFailures").size());
        assertEquals(JobStatus.PROCESSING, f.jobs.get(job.id()).orElseThrow().status());
        // ApproximateReceiveCount 3 = the redrive policy's last delivery: FAILED, and still reported
        assertEquals(1, invoke(sqsEvent(record("m-1", "{\"jobId\":\"" + job.id() + "\"}", 3)))
                .get("batchItemFailures").size());
        assertEquals(JobStatus.FAILED, f.jobs.get(job.id()).orElseThrow().status());
    }

    @Test
    void s3ObjectCreatedThroughEventBridgeStartsLargeUploadProcessing() throws Exception {
        ImageId id = ImageId.random();
        String envelope = """
                {"version":"0","id":"17793124-05d4-b198-2fde-7ededc63b103","detail-type":"Object Created",
                 "source":"aws.s3","account":"123456789012","time":"2026-12-06T00:00:00Z","region":"us-east-1",
                 "resources":["arn:aws:s3:::image-storage"],
                 "detail":{"version":"0","bucket":{"name":"image-storage"},
                  "object":{"key":"incoming/%s","size":5,"etag":"b1946ac92492d2347c6235b4d2611184",
                   "sequencer":"617f08299329d189"},
                  "request-id":"N4N7GDK58NMKJ12R","requester":"123456789012","source-ip-address":"1.2.3.4",
                  "reason":"CompleteMultipartUpload"}}""".formatted(id.value());
        JsonNode answer = invoke(sqsEvent(record("u-1", envelope, 1)));
        assertEquals(0, answer.get("batchItemFailures").size());
        assertEquals(List.of(id), processed);
    }

    @Test
    void theScheduledEventRunsTheSweeper() throws Exception {
        handler.handleRequest(new ByteArrayInputStream("""
                {"version":"0","id":"x","detail-type":"Scheduled Event","source":"aws.events","account":"1",
                 "time":"2026-12-06T00:00:00Z","region":"us-east-1","resources":["arn:aws:events:us-east-1:1:rule/s"],
                 "detail":{}}""".getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), null);
        assertEquals(1, sweeps.get());
    }

    private JsonNode invoke(String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    private static String sqsEvent(String... records) {
        return "{\"Records\":[" + String.join(",", records) + "]}";
    }

    /** One record as Lambda's SQS event source mapping sends it (receive count as a string, like AWS). */
    private static String record(String messageId, String body, int receiveCount) throws Exception {
        return """
                {"messageId":"%s","receiptHandle":"AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a","body":%s,
                 "attributes":{"ApproximateReceiveCount":"%d","SentTimestamp":"1545082649183",
                  "SenderId":"AIDAIENQZJOLO23YVJ4VO","ApproximateFirstReceiveTimestamp":"1545082649185"},
                 "messageAttributes":{},"md5OfBody":"098f6bcd4621d373cade4e832627b4f6","eventSource":"aws:sqs",
                 "eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:image-scaler-jobs","awsRegion":"us-east-1"}"""
                .formatted(messageId, JSON.writeValueAsString(body), receiveCount);
    }
}
