package io.imagescaler.handler.events.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagescaler.handler.analytics.aws.MotoServer;
import io.imagescaler.handler.config.HandlerConfig;
import io.imagescaler.handler.events.DomainEvent;
import io.imagescaler.handler.storage.aws.AwsClients;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The EventBridge adapter against moto's server (a real implementation of the EventBridge and SQS
 * protocols), with the client AwsClients builds for {@code EVENTS_ENDPOINT}: a rule on the custom bus
 * delivers what PutEvents accepted to an SQS queue, which the test reads back as the envelope a subscriber
 * gets. A refused entry and an unreachable endpoint are logged and counted, never thrown. Skipped with a
 * reason where moto is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventBridgeEventsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T06:00:00Z"), ZoneOffset.UTC);
    MotoServer moto;
    AwsClients clients;
    SqsClient sqs;
    String queueUrl;

    @BeforeAll
    void start() throws Exception {
        moto = MotoServer.startOrSkip();
        String endpoint = moto.endpoint().toString();
        clients = new AwsClients(HandlerConfig.fromEnvironment(Map.of("S3_ENDPOINT", endpoint,
                "DYNAMODB_ENDPOINT", endpoint, "LOCAL_ACCESS_KEY", "local", "LOCAL_SECRET_KEY", "local-secret")::get));
        sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .credentialsProvider(MotoServer.CREDENTIALS).endpointOverride(moto.endpoint()).build();
        queueUrl = sqs.createQueue(b -> b.queueName("events-seen")).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
                .attributesAsStrings().get("QueueArn");
        var events = clients.eventBridge(Optional.of(moto.endpoint()));
        events.createEventBus(b -> b.name("image-scaler-events"));
        events.putRule(b -> b.name("all-image-scaler").eventBusName("image-scaler-events")
                .eventPattern("{\"source\":[\"image-scaler\"]}"));
        events.putTargets(b -> b.rule("all-image-scaler").eventBusName("image-scaler-events")
                .targets(t -> t.id("seen").arn(queueArn)));
    }

    @AfterAll
    void stop() throws Exception {
        if (sqs != null) sqs.close();
        if (clients != null) clients.close();
        if (moto != null) moto.close();
    }

    static DomainEvent uploaded(String id) {
        ObjectNode detail = JsonNodeFactory.instance.objectNode();
        detail.put("imageId", id);
        detail.put("owner", "alice");
        detail.put("status", "READY");
        detail.put("via", "sync");
        return new DomainEvent(DomainEvent.IMAGE_UPLOADED, "images/" + id, Instant.parse("2026-12-06T05:59:58Z"),
                detail);
    }

    @Test
    void anEventReachesTheBusWithItsEnvelope() throws Exception {
        List<String> metrics = new ArrayList<>();
        var publisher = new EventBridgeEvents(clients.eventBridge(Optional.empty()), "image-scaler-events",
                "ImageScaler", metrics::add, CLOCK);

        publisher.publish(uploaded("img-1"));

        JsonNode envelope = receiveOne();
        assertEquals("image-scaler", envelope.get("source").asText());
        assertEquals("image_uploaded", envelope.get("detail-type").asText());
        assertEquals("images/img-1", envelope.get("resources").get(0).asText());
        assertEquals("2026-12-06T05:59:58Z", envelope.get("time").asText());
        assertEquals("img-1", envelope.get("detail").get("imageId").asText());
        assertEquals("sync", envelope.get("detail").get("via").asText());
        assertTrue(metrics.isEmpty(), "nothing lost: " + metrics);
    }

    @Test
    void aRefusedEventIsCountedNotThrown() {
        List<String> metrics = new ArrayList<>();
        var publisher = new EventBridgeEvents(clients.eventBridge(Optional.empty()), "no-such-bus", "ImageScaler",
                metrics::add, CLOCK);
        publisher.publish(uploaded("img-2"));
        assertEquals(1, metrics.size(), "one EventsNotPublished line");
        assertTrue(metrics.getFirst().contains("\"EventsNotPublished\":1"), metrics.getFirst());
        assertTrue(metrics.getFirst().contains("\"DetailType\":\"image_uploaded\""), metrics.getFirst());
    }

    @Test
    void anUnreachableBusIsCountedNotThrown() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        List<String> metrics = new ArrayList<>();
        String endpoint = "http://127.0.0.1:" + closed;
        try (AwsClients unreachable = new AwsClients(HandlerConfig.fromEnvironment(Map.of("S3_ENDPOINT", endpoint,
                "DYNAMODB_ENDPOINT", endpoint)::get))) {
            var publisher = new EventBridgeEvents(unreachable.eventBridge(Optional.of(URI.create(endpoint))),
                    "image-scaler-events", "ImageScaler", metrics::add, CLOCK);
            long t0 = System.nanoTime();
            publisher.publish(uploaded("img-3"));
            assertTrue((System.nanoTime() - t0) / 1e9 < AwsClients.CALL_TIMEOUT.toSeconds() + 2, "bounded");
        }
        assertEquals(1, metrics.size());
    }

    /**
     * PutEvents answers 200 with FailedEntryCount when it refuses an entry (throttling): the adapter tries the
     * entry again, and counts it lost only when every attempt was refused. A loopback server plays EventBridge
     * here (moto accepts every well-formed entry), answering its JSON protocol from a script.
     */
    @Test
    void aRefusedEntryIsTriedAgainThenCounted() throws Exception {
        String refused = "{\"FailedEntryCount\":1,\"Entries\":[{\"ErrorCode\":\"ThrottlingException\","
                + "\"ErrorMessage\":\"Rate exceeded\"}]}";
        String accepted = "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e-1\"}]}";
        assertEquals(List.of(3, 1), scripted(List.of(refused, refused, refused)), "3 attempts, then counted");
        assertEquals(List.of(2, 0), scripted(List.of(refused, accepted)), "the second attempt went through");
    }

    /** @return the requests the script answered, and the EventsNotPublished lines */
    private List<Integer> scripted(List<String> answers) throws Exception {
        var server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = answers.get(Math.min(requests.getAndIncrement(), answers.size() - 1))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        List<String> metrics = new ArrayList<>();
        String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
        try (AwsClients scripted = new AwsClients(HandlerConfig.fromEnvironment(Map.of("S3_ENDPOINT", endpoint,
                "DYNAMODB_ENDPOINT", endpoint)::get))) {
            new EventBridgeEvents(scripted.eventBridge(Optional.of(URI.create(endpoint))), "image-scaler-events",
                    "ImageScaler", metrics::add, CLOCK).publish(uploaded("img-4"));
        } finally {
            server.stop(0);
        }
        return List.of(requests.get(), metrics.size());
    }

    private JsonNode receiveOne() throws Exception {
        for (int i = 0; i < 20; i++) {
            var messages = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages();
            if (!messages.isEmpty()) {
                assertEquals(1, messages.size(), "one event delivered");
                return JSON.readTree(messages.getFirst().body());
            }
        }
        throw new AssertionError("no event reached the queue");
    }
}
