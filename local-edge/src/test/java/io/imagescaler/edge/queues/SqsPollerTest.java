package io.imagescaler.edge.queues;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/** The local SQS event source mapping against moto: Lambda's event, partial batch failures, redrive, crashes. */
class SqsPollerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SqsPoller.Settings ONE_AT_A_TIME =
            new SqsPoller.Settings(1, 10, Duration.ofSeconds(1), Duration.ofSeconds(30));

    private LocalAws aws;
    private SqsPoller poller;
    /** Every event the handler was invoked with. */
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start(@TempDir Path work) throws Exception {
        // one-second visibility: a message the worker did not delete is back a second later
        aws = LocalAws.start(work, LocalAws.Options.defaults("image-storage")
                .withJobsVisibility(Duration.ofSeconds(1)).withUploadsVisibility(Duration.ofSeconds(1)));
    }

    @AfterEach
    void stop() throws Exception {
        if (poller != null) {
            poller.close();
        }
        aws.close();
    }

    @Test
    void aReportedFailureIsRedeliveredUntilTheDeadLetterQueueAndTheRestIsDeleted() throws Exception {
        String queue = aws.queueUrl(LocalAws.JOBS_QUEUE);
        aws.sqs().sendMessage(b -> b.queueUrl(queue).messageBody("{\"jobId\":\"good\"}")
                .messageAttributes(java.util.Map.of("origin", MessageAttributeValue.builder()
                        .dataType("String").stringValue("test").build())));
        aws.sqs().sendMessage(b -> b.queueUrl(queue).messageBody("{\"jobId\":\"poison\"}"));
        poller = new SqsPoller(aws.sqs(), queue, aws.queueArn(LocalAws.JOBS_QUEUE), LocalAws.REGION,
                recording((event, out) -> {
                    StringBuilder failures = new StringBuilder();
                    for (JsonNode r : event.path("Records")) {
                        if (r.path("body").asText().contains("poison")) {
                            failures.append(failures.isEmpty() ? "" : ",")
                                    .append("{\"itemIdentifier\":\"").append(r.path("messageId").asText()).append("\"}");
                        }
                    }
                    out.append("{\"batchItemFailures\":[").append(failures).append("]}");
                }), ONE_AT_A_TIME).start();

        String dlq = aws.queueUrl(LocalAws.JOBS_DLQ);
        List<Message> deadLetters = new CopyOnWriteArrayList<>();
        await(Duration.ofSeconds(20), () -> {
            deadLetters.addAll(aws.sqs().receiveMessage(b -> b.queueUrl(dlq).waitTimeSeconds(1)).messages());
            return !deadLetters.isEmpty();
        });
        assertThat(deadLetters).extracting(Message::body).containsExactly("{\"jobId\":\"poison\"}");

        List<JsonNode> records = events.stream().flatMap(e -> stream(e.path("Records"))).toList();
        assertThat(records.stream().filter(r -> r.path("body").asText().contains("good"))).hasSize(1);
        assertThat(records.stream().filter(r -> r.path("body").asText().contains("poison"))
                .map(r -> r.at("/attributes/ApproximateReceiveCount").asText()))
                .containsExactly("1", "2", "3");
        assertThat(aws.depth(LocalAws.JOBS_QUEUE)).isZero();
        assertThat(poller.messagesDeleted()).isEqualTo(1);

        // the event is the one Lambda sends
        JsonNode good = records.stream().filter(r -> r.path("body").asText().contains("good")).findFirst()
                .orElseThrow();
        assertThat(good.path("messageId").asText()).isNotEmpty();
        assertThat(good.path("receiptHandle").asText()).isNotEmpty();
        assertThat(good.path("eventSource").asText()).isEqualTo("aws:sqs");
        assertThat(good.path("eventSourceARN").asText())
                .isEqualTo("arn:aws:sqs:us-east-1:123456789012:image-scaler-jobs");
        assertThat(good.path("awsRegion").asText()).isEqualTo("us-east-1");
        assertThat(good.path("md5OfBody").asText()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("MD5").digest("{\"jobId\":\"good\"}".getBytes(StandardCharsets.UTF_8))));
        JsonNode attributes = good.path("attributes");
        for (String name : List.of("ApproximateReceiveCount", "SentTimestamp", "SenderId",
                "ApproximateFirstReceiveTimestamp")) {
            assertThat(attributes.path(name).isTextual()).as(name).isTrue();
        }
        assertThat(Long.parseLong(attributes.path("SentTimestamp").asText())).isPositive();
        JsonNode origin = good.at("/messageAttributes/origin");
        assertThat(origin.path("stringValue").asText()).isEqualTo("test");
        assertThat(origin.path("dataType").asText()).isEqualTo("String");
        assertThat(origin.path("stringListValues").isArray()).isTrue();
        assertThat(origin.path("binaryListValues").isArray()).isTrue();
    }

    @Test
    void aKilledWorkersMessageReturnsAfterItsVisibilityTimeoutAndIsProcessedOnce() throws Exception {
        String queue = aws.queueUrl(LocalAws.UPLOADS_QUEUE);
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        poller = new SqsPoller(aws.sqs(), queue, aws.queueArn(LocalAws.UPLOADS_QUEUE), LocalAws.REGION,
                recording((event, out) -> {
                    if (events.size() == 1) {
                        firstStarted.countDown();
                        // ignores the interrupt and then "succeeds": the poller must not act on it
                        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                        while (release.getCount() > 0 && System.nanoTime() < end) {
                            try {
                                release.await(100, TimeUnit.MILLISECONDS);
                            } catch (InterruptedException ignored) {
                                // a crashed process would not see it either
                            }
                        }
                    }
                }), new SqsPoller.Settings(2, 1, Duration.ofSeconds(1), Duration.ofSeconds(30))).start();
        aws.sqs().sendMessage(b -> b.queueUrl(queue).messageBody("{\"jobId\":\"crash\"}"));
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();

        poller.kill();
        release.countDown();
        poller.start();

        await(Duration.ofSeconds(15), () -> poller.messagesDeleted() == 1);
        assertThat(events).hasSize(2);
        assertThat(events.get(1).at("/Records/0/attributes/ApproximateReceiveCount").asText()).isEqualTo("2");
        assertThat(events.get(1).at("/Records/0/messageId").asText())
                .isEqualTo(events.get(0).at("/Records/0/messageId").asText());
        Thread.sleep(1500);  // longer than the visibility timeout: a message still there would be back
        assertThat(events).hasSize(2);
        assertThat(aws.depth(LocalAws.UPLOADS_QUEUE)).isZero();
        assertThat(aws.depth(LocalAws.UPLOADS_DLQ)).isZero();
    }

    @Test
    void aHandlerExceptionDeletesNothing() throws Exception {
        String queue = aws.queueUrl(LocalAws.JOBS_QUEUE);
        aws.sqs().sendMessage(b -> b.queueUrl(queue).messageBody("{\"jobId\":\"a\"}"));
        aws.sqs().sendMessage(b -> b.queueUrl(queue).messageBody("{\"jobId\":\"b\"}"));
        poller = new SqsPoller(aws.sqs(), queue, aws.queueArn(LocalAws.JOBS_QUEUE), LocalAws.REGION,
                recording((event, out) -> {
                    if (events.size() <= 1) {
                        throw new IllegalStateException("a dependency is down");
                    }
                }), ONE_AT_A_TIME).start();

        await(Duration.ofSeconds(15), () -> poller.messagesDeleted() == 2);
        long firstBatch = events.getFirst().path("Records").size();
        // what the failed invocation held came back for a second receive
        long redelivered = events.stream().skip(1).flatMap(e -> stream(e.path("Records")))
                .filter(r -> r.at("/attributes/ApproximateReceiveCount").asText().equals("2")).count();
        assertThat(redelivered).isEqualTo(firstBatch);
        assertThat(aws.depth(LocalAws.JOBS_QUEUE)).isZero();
    }

    interface Body {
        void handle(JsonNode event, StringBuilder answer) throws Exception;
    }

    private RequestStreamHandler recording(Body body) {
        return (in, out, context) -> {
            JsonNode event = JSON.readTree(in);
            events.add(event);
            StringBuilder answer = new StringBuilder();
            try {
                body.handle(event, answer);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            out.write(answer.toString().getBytes(StandardCharsets.UTF_8));
        };
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }

    private static void await(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not reached within " + limit);
            }
            Thread.sleep(100);
        }
    }
}
