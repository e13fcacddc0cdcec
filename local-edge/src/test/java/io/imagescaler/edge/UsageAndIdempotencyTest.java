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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Idempotent uploads and the usage report by day (from the local lake), over HTTP against the in-process edge. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UsageAndIdempotencyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;
    LocalEdge edge;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final LocalDate today = LocalDate.now(ZoneOffset.UTC);
    long uploadedBytes;
    final Map<String, String> ids = new java.util.HashMap<>();

    @BeforeAll
    void start() throws Exception {
        Path rules = data.resolve("rules.json");
        Files.writeString(rules, "{\"images\":{\"" + ModerationTest.sha256(Fixtures.image("png-rgba-dice-800x600.png"))
                + "\":[{\"name\":\"Violence\",\"parentName\":\"\",\"confidence\":90}]}}");
        edge = LocalEdge.start(0, data, Map.of("MODERATION_RULES", rules.toString(),
                // signed URLs are tested in SignedUrlsAtTheEdgeTest; here they would only add noise
                "REQUIRE_SIGNED_URLS", "false"));
    }

    @AfterAll
    void stop() {
        if (edge != null) edge.close();
    }

    @Test
    @Order(1)
    void aRetryWithTheSameKeyGetsTheFirstResult() throws Exception {
        byte[] image = Fixtures.image("png-tiny-16x16.png");
        var first = upload(image, "key-1");
        assertEquals(201, first.statusCode(), first.body());
        assertFalse(first.headers().firstValue("Idempotent-Replayed").isPresent());
        uploadedBytes += image.length;
        int records = imageRecordCount();

        var retry = upload(image, "key-1");
        assertEquals(201, retry.statusCode(), retry.body());
        assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElseThrow());
        assertEquals(id(first), id(retry));
        assertEquals(JSON.readTree(first.body()), JSON.readTree(retry.body()));
        assertEquals(records, imageRecordCount(), "no second image");
        ids.put("tiny", id(first));
    }

    @Test
    @Order(2)
    void theSameKeyWithAnotherBodyIs422() throws Exception {
        var other = upload(Fixtures.image("jpeg-tiny-40x60-orient3.jpg"), "key-1");
        assertEquals(422, other.statusCode(), other.body());
        assertEquals("https://image-scaler.dev/problems/idempotency-key-reused",
                JSON.readTree(other.body()).get("type").asText());
        // Keys are per owner and per key: another key is a new upload.
        var bad = upload(new byte[0], "key-2");
        assertEquals(400, bad.statusCode());
        byte[] jpeg = Fixtures.image("jpeg-tiny-40x60-orient3.jpg");
        var afterFailure = upload(jpeg, "key-2");
        assertEquals(201, afterFailure.statusCode(), "a failed first request releases its key: " + afterFailure.body());
        uploadedBytes += jpeg.length;
        assertEquals(400, upload(Fixtures.image("png-tiny-16x16.png"), "bad key with spaces").statusCode());
    }

    @Test
    @Order(3)
    void theDailyReportAddsUpAfterAScriptedSession() throws Exception {
        byte[] dice = Fixtures.image("png-rgba-dice-800x600.png");
        var flagged = upload(dice, null);
        assertEquals("BLURRED", JSON.readTree(flagged.body()).get("status").asText());
        byte[] webp = Fixtures.image("webp-lossy-alpha-300.webp");
        var clean = upload(webp, null);
        uploadedBytes += dice.length + webp.length;

        assertEquals(200, get("/v1/images/" + ids.get("tiny") + "/w_8.png").statusCode());
        assertEquals(200, get("/v1/images/" + ids.get("tiny") + "/w_8.png").statusCode());  // bucket hit: not counted
        assertEquals(200, get("/v1/images/" + id(flagged) + "/w_100.jpg").statusCode());
        assertEquals(200, get("/v1/images/" + id(clean) + "/h_50.png").statusCode());

        var stats = get("/v1/stats?from=" + today.minusDays(2) + "&to=" + today);
        assertEquals(200, stats.statusCode(), stats.body());
        JsonNode body = JSON.readTree(stats.body());
        assertEquals(3, body.get("rows").size());
        JsonNode day = body.get("rows").get(2);
        assertEquals(today.toString(), day.get("day").asText());
        assertEquals(4, day.get("uploads").asLong(), "the replayed retry and the failed uploads are not counted");
        assertEquals(uploadedBytes, day.get("bytes").asLong());
        assertEquals(1, day.get("flagged").asLong());
        assertEquals(3, day.get("variants").asLong());
        assertEquals(0, day.get("srCalls").asLong());
        assertEquals(0, body.get("rows").get(0).get("uploads").asLong());
        assertEquals(day.get("uploads"), body.get("totals").get("uploads"));

        var csv = get("/v1/stats?from=" + today + "&to=" + today + "&format=csv");
        assertEquals(200, csv.statusCode());
        assertTrue(csv.headers().firstValue("Content-Type").orElseThrow().startsWith("text/csv"));
        assertEquals("day,uploads,bytes,flagged,variants,sr_calls,sr_ms,deletes\r\n"
                + today + ",4," + uploadedBytes + ",1,3,0,0,0\r\n", csv.body());
    }

    @Test
    @Order(4)
    void badStatsRequestsAreProblems() throws Exception {
        for (String query : List.of("from=2026-13-01", "from=" + today + "&to=" + today.minusDays(1),
                "from=2020-01-01&to=2026-01-01", "format=xml")) {
            var r = get("/v1/stats?" + query);
            assertEquals(400, r.statusCode(), query + ": " + r.body());
            assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElseThrow());
        }
        var asUser = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/stats"))
                .header("Authorization", bearer(DevIssuer.USER)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, asUser.statusCode(), "stats are for admins: " + asUser.body());
        assertEquals(405, http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/stats"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    private int imageRecordCount() {
        return edge.wiring().clients().dynamo().scan(b -> b.tableName("image-records")
                .filterExpression("kind = :k").expressionAttributeValues(
                        Map.of(":k", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("image"))))
                .count();
    }

    private static String id(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).get("id").asText();
    }

    private HttpResponse<String> upload(byte[] body, String key) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images"))
                .header("Authorization", bearer(DevIssuer.USER))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) b.header("Idempotency-Key", key);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Stats as the admin; images as their owner. */
    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + path)).GET()
                .header("Authorization", bearer(path.startsWith("/v1/stats") ? DevIssuer.ADMIN : DevIssuer.USER))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private String bearer(String who) throws Exception {
        return edge.issuer().bearer(who);
    }
}
