package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.edge.access.DevIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected under the real local edge: DynamoDB Local stopped (a closed port), S3Proxy stopped, the
 * generated bucket's folder made immutable, the Rekognition stand-in stopped. Each route answers 503
 * {@code upstream-failure} as {@code application/problem+json} with {@code Retry-After} within the SDK
 * deadline (or, where the failed write does not decide the answer, still answers), nothing half-stored
 * is left, and every route works again after recovery without a restart. The table it prints is the
 * README's fault figures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Well inside API Gateway's 29 s: the SDK's per-call budget plus slack for a loaded 2-core machine. */
    private static final Duration FAULT_ANSWER_WITHIN = Duration.ofSeconds(12);

    @TempDir
    static Path data;
    LocalEdge edge;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String token;
    String id;
    int width = 8;
    final List<String> table = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        edge = LocalEdge.start(0, data, Map.of("REQUIRE_SIGNED_URLS", "false", "TRACING", "off",
                "LOCAL_SR", "false"));
        token = Files.readString(edge.issuer().tokenFile(DevIssuer.USER));
        var created = upload().send();
        assertEquals(201, created.statusCode(), created.body());
        id = JSON.readTree(created.body()).get("id").asText();
    }

    @AfterAll
    void stop() {
        table.forEach(System.out::println);
        if (edge != null) edge.close();
    }

    @Test
    @Order(1)
    void dynamoDbDownAnswers503OnEveryRouteAndRecovers() throws Exception {
        long objectsBefore = objects("image-storage");
        edge.localDynamo().stop();
        try {
            expect503("DynamoDB stopped", "POST /v1/images", upload());
            expect503("DynamoDB stopped", "GET metadata", get("/v1/images/" + id + "/metadata"));
            expect503("DynamoDB stopped", "GET variant (miss)", get(variant()));
            expect503("DynamoDB stopped", "GET original", get("/v1/images/" + id + "/original"));
            expect503("DynamoDB stopped", "DELETE", () -> send(request("/v1/images/" + id).DELETE()));
        } finally {
            edge.localDynamo().start();
        }
        assertEquals(objectsBefore, objects("image-storage"), "the failed upload stored no original");
        expectRecovered("DynamoDB restarted");
    }

    @Test
    @Order(2)
    void s3DownAnswers503AndRecovers() throws Exception {
        int recordsBefore = imageRecords();
        edge.localS3().stop();
        try {
            expect503("S3Proxy stopped", "POST /v1/images", upload());
            expect503("S3Proxy stopped", "GET variant (miss)", get(variant()));
            expect503("S3Proxy stopped", "GET original", get("/v1/images/" + id + "/original"));
            var meta = timed(get("/v1/images/" + id + "/metadata"));
            table.add(row("S3Proxy stopped", "GET metadata", meta));
            assertEquals(200, meta.response().statusCode(), "metadata needs no S3");
        } finally {
            edge.localS3().restart();
        }
        assertEquals(recordsBefore, imageRecords(), "the failed upload left no record, provisional or not");
        expectRecovered("S3Proxy restarted");
    }

    @Test
    @Order(3)
    void anUnwritableGeneratedBucketStillAnswersTheRender() throws Exception {
        Path bucket = data.resolve("s3").resolve("image-storage-generated");
        Files.createDirectories(bucket.resolve(id));
        var locked = new ProcessBuilder("chattr", "-R", "+i", bucket.toString()).inheritIO().start();
        Assumptions.assumeTrue(locked.waitFor() == 0, "chattr +i is not available here (needs root and ext4)");
        try {
            String path = variant();
            var answer = timed(get(path));
            table.add(row("generated bucket immutable", "GET variant (miss)", answer));
            assertEquals(200, answer.response().statusCode(), answer.response().body());
            assertEquals("false", answer.response().headers().firstValue("X-Variant-Stored").orElse(""));
            assertEquals("public, max-age=60", answer.response().headers().firstValue("Cache-Control").orElse(""));
            assertTrue(answer.elapsed().compareTo(FAULT_ANSWER_WITHIN) < 0, answer.elapsed().toString());
            assertFalse(Files.exists(bucket.resolve(id).resolve(path.substring(path.lastIndexOf('/') + 1))));
        } finally {
            new ProcessBuilder("chattr", "-R", "-i", bucket.toString()).inheritIO().start().waitFor();
        }
        String path = variant();
        var stored = get(path).send();
        assertEquals(200, stored.statusCode());
        assertFalse(stored.headers().firstValue("X-Variant-Stored").isPresent());
        assertTrue(Files.exists(bucket.resolve(id).resolve(path.substring(path.lastIndexOf('/') + 1))),
                "stored again once the folder is writable");
    }

    @Test
    @Order(4)
    void moderationDownRefusesTheUploadWithNothingKept() throws Exception {
        int recordsBefore = imageRecords();
        long objectsBefore = objects("image-storage");
        edge.moderation().close();   // the Rekognition stand-in cannot be started again: this test is last
        expect503("Rekognition stopped", "POST /v1/images", upload());
        assertEquals(recordsBefore, imageRecords());
        assertEquals(objectsBefore, objects("image-storage"));
        var meta = get("/v1/images/" + id + "/metadata").send();
        assertEquals(200, meta.statusCode(), "reads do not need moderation");
    }

    private void expectRecovered(String when) throws Exception {
        var up = timed(upload());
        table.add(row(when, "POST /v1/images", up));
        assertEquals(201, up.response().statusCode(), up.response().body());
        String created = JSON.readTree(up.response().body()).get("id").asText();
        var meta = timed(get("/v1/images/" + created + "/metadata"));
        table.add(row(when, "GET metadata", meta));
        assertEquals(200, meta.response().statusCode());
        var v = timed(get("/v1/images/" + created + "/w_8.png"));
        table.add(row(when, "GET variant (miss)", v));
        assertEquals(200, v.response().statusCode(), v.response().body());
        var orig = timed(get("/v1/images/" + created + "/original"));
        table.add(row(when, "GET original", orig));
        assertEquals(200, orig.response().statusCode());
        var del = timed(() -> send(request("/v1/images/" + created).DELETE()));
        table.add(row(when, "DELETE", del));
        assertEquals(204, del.response().statusCode(), del.response().body());
    }

    private void expect503(String fault, String route, Timed answer) throws Exception {
        table.add(row(fault, route, answer));
        HttpResponse<String> r = answer.response();
        assertEquals(503, r.statusCode(), route + ": " + r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), route);
        JsonNode problem = JSON.readTree(r.body());
        assertEquals("https://image-scaler.dev/problems/upstream-failure", problem.get("type").asText(), route);
        assertTrue(r.headers().firstValue("Retry-After").isPresent(), route + " has Retry-After");
        assertFalse(r.body().contains("Exception"), route + " leaks no exception: " + r.body());
        assertTrue(answer.elapsed().compareTo(FAULT_ANSWER_WITHIN) < 0, route + " took " + answer.elapsed());
    }

    private void expect503(String fault, String route, Call call) throws Exception {
        expect503(fault, route, timed(call));
    }

    private static String row(String fault, String route, Timed t) {
        String body = t.response().body();
        String type = body.contains("\"type\"") ? body.replaceAll(".*problems/([a-z-]+)\".*", "$1") : "-";
        return String.format("fault | %-26s | %-20s | %d %-16s | %5d ms", fault, route, t.response().statusCode(),
                type.length() > 16 ? type.substring(0, 16) : type, t.elapsed().toMillis());
    }

    interface Call {
        HttpResponse<String> send() throws Exception;
    }

    record Timed(HttpResponse<String> response, Duration elapsed) {
    }

    private static Timed timed(Call call) throws Exception {
        long t0 = System.nanoTime();
        var r = call.send();
        return new Timed(r, Duration.ofNanos(System.nanoTime() - t0));
    }

    private String variant() {
        return "/v1/images/" + id + "/w_" + (width++) + ".png";
    }

    private Call upload() {
        return () -> send(request("/v1/images").header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.image("png-tiny-16x16.png"))));
    }

    private Call get(String path) {
        return () -> send(request(path).GET());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(edge.baseUrl() + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(40));
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private long objects(String bucket) {
        return edge.wiring().clients().s3().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().count();
    }

    private int imageRecords() {
        return edge.wiring().clients().dynamo().scan(b -> b.tableName("image-records")
                .filterExpression("kind = :k").expressionAttributeValues(Map.of(":k",
                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("image")))).count();
    }
}
