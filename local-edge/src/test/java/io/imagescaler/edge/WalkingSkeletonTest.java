package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The whole request path over HTTP, as a user would: S3Proxy, DynamoDB Local and the edge started
 * in-process on free ports and a temporary data directory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalkingSkeletonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;
    LocalEdge edge;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final Map<String, String> uploaded = new TreeMap<>();

    @BeforeAll
    void start() throws Exception {
        // A small response limit so that one variant takes the "stored, ask again" path.
        edge = LocalEdge.start(0, data, Map.of("MAX_RESPONSE_BYTES", "100000"));
    }

    @AfterAll
    void stop() {
        if (edge != null) edge.close();
    }

    @ParameterizedTest
    @Order(1)
    @CsvSource({
            "jpeg-tiny-40x60-orient3.jpg, image/jpeg, 40, 60",
            "png-rgba-dice-800x600.png, image/png, 800, 600",
            "gif-animated-earth-44f.gif, image/gif, 400, 400",
            "webp-lossy-alpha-300.webp, image/webp, 300, 300"})
    void uploadsAnImageAndAnswersItsRecord(String file, String type, int width, int height) throws Exception {
        byte[] bytes = Fixtures.image(file);
        // A lying Content-Type: the real type must come from the bytes.
        var response = send(HttpRequest.newBuilder(uri("/v1/images")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        assertEquals(201, response.statusCode(), () -> new String(response.body()));
        JsonNode record = JSON.readTree(response.body());
        assertEquals(type, record.get("contentType").asText());
        assertEquals(width, record.get("width").asInt());
        assertEquals(height, record.get("height").asInt());
        assertEquals(bytes.length, record.get("bytes").asLong());
        assertEquals("READY", record.get("status").asText());
        assertEquals(43, record.get("id").asText().length());
        assertEquals(64, record.get("sha256").asText().length());
        assertNotNull(record.get("createdAt").asText());
        uploaded.put(file, record.get("id").asText());
    }

    @ParameterizedTest
    @Order(2)
    @CsvSource(delimiter = '|', value = {
            "png-rgba-dice-800x600.png   | w_200.png                 | image/png  | 200 | 150",
            "png-rgba-dice-800x600.png   | w_100,h_100,fit_cover.webp | image/webp | 100 | 100",
            "gif-animated-earth-44f.gif  | w_120.jpg                 | image/jpeg | 120 | 120",
            "webp-lossy-alpha-300.webp   | h_50.png                  | image/png  | 50  | 50",
            "jpeg-tiny-40x60-orient3.jpg | w_20.jpg                  | image/jpeg | 20  | 30"})
    void rendersAVariantThenServesItFromTheGeneratedBucket(String file, String variant, String type, int w, int h)
            throws Exception {
        String path = "/v1/images/" + uploaded.get(file) + "/" + variant;
        long before = edge.server().handlerInvocations();
        var first = send(HttpRequest.newBuilder(signed(path)).GET());
        assertEquals(200, first.statusCode(), () -> new String(first.body()));
        assertEquals(type, first.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(first.headers().firstValue("Cache-Control").orElseThrow().contains("immutable"));
        assertTrue(first.headers().firstValue("Server-Timing").orElseThrow().contains("store;dur="));
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertDimensions(first.body(), w, h);
        assertEquals(before + 1, edge.server().handlerInvocations());

        var second = send(HttpRequest.newBuilder(signed(path)).GET());
        assertEquals(200, second.statusCode());
        assertEquals("Hit from generated bucket", second.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(before + 1, edge.server().handlerInvocations(), "the handler was not called again");
        assertArrayEquals(first.body(), second.body());
        assertEquals(etag, second.headers().firstValue("ETag").orElseThrow(), "handler and bucket agree on ETag");

        var notModified = send(HttpRequest.newBuilder(signed(path)).header("If-None-Match", etag).GET());
        assertEquals(304, notModified.statusCode());
    }

    @Test
    @Order(3)
    void theSameVariantSpelledDifferentlyIsStoredOnce() throws Exception {
        String id = uploaded.get("png-rgba-dice-800x600.png");
        var a = send(HttpRequest.newBuilder(signed("/v1/images/" + id + "/fit_cover,h_64,w_64.png")).GET());
        assertEquals(200, a.statusCode());
        var b = send(HttpRequest.newBuilder(signed("/v1/images/" + id + "/w_64,h_64,fit_cover.png")).GET());
        assertEquals("Hit from generated bucket", b.headers().firstValue("X-Cache").orElseThrow());
        var s3 = edge.wiring().clients().s3();
        assertNotNull(s3.headObject(r -> r.bucket("image-storage-generated").key(id + "/w_64,h_64,fit_cover.png")));
    }

    @Test
    @Order(4)
    void aVariantTooLargeForALambdaResponseIsStoredAndRedirected() throws Exception {
        String id = uploaded.get("png-rgba-dice-800x600.png");
        String path = "/v1/images/" + id + "/full.png";
        URI signedUri = signed(path);
        var first = send(HttpRequest.newBuilder(signedUri).GET());
        assertEquals(302, first.statusCode());
        // The relocation keeps the signature (re-encoded by API Gateway's query map, e.g. ~ as %7E), so the
        // viewer's second request passes the edge's signature check again.
        String location = first.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(path + "?Expires="), location);
        assertTrue(location.contains("&Key-Pair-Id=" + edge.signatures().devKey().keyPairId()), location);
        assertEquals("no-store", first.headers().firstValue("Cache-Control").orElseThrow());
        var followed = send(HttpRequest.newBuilder(uri(first.headers().firstValue("Location").orElseThrow())).GET());
        assertEquals(200, followed.statusCode());
        assertTrue(followed.body().length > 100_000);
        assertDimensions(followed.body(), 800, 600);
    }

    @Test
    @Order(5)
    void metadataAndOriginalDescribeTheUpload() throws Exception {
        String id = uploaded.get("webp-lossy-alpha-300.webp");
        var meta = send(HttpRequest.newBuilder(uri("/v1/images/" + id + "/metadata")).GET());
        assertEquals(200, meta.statusCode());
        JsonNode record = JSON.readTree(meta.body());
        assertEquals(id, record.get("id").asText());
        assertEquals("image/webp", record.get("contentType").asText());
        var original = send(HttpRequest.newBuilder(signed("/v1/images/" + id + "/original")).GET());
        assertEquals(200, original.statusCode());
        assertArrayEquals(Fixtures.image("webp-lossy-alpha-300.webp"), original.body());
    }

    @ParameterizedTest
    @Order(6)
    @CsvSource(delimiter = '|', value = {
            "w_0.png | 400", "w_100,zoom_2.png | 400", "w_100.bmp | 400", "w_100,w_200.png | 400", "w_20.heic | 400"})
    void badTransformsAreProblems(String variant, int status) throws Exception {
        String id = uploaded.get("png-rgba-dice-800x600.png");
        var r = send(HttpRequest.newBuilder(signed("/v1/images/" + id + "/" + variant)).GET());
        assertProblem(r, status);
    }

    @Test
    @Order(6)
    void avifIsServedFromAnAlphaPng() throws Exception {
        String id = uploaded.get("png-rgba-dice-800x600.png");
        var r = send(HttpRequest.newBuilder(signed("/v1/images/" + id + "/w_200.avif")).GET());
        assertEquals(200, r.statusCode(), new String(r.body()));
        assertEquals("image/avif", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("ftypavif", new String(r.body(), 4, 8, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    @Order(7)
    void unknownImagesAre404Problems() throws Exception {
        assertProblem(send(HttpRequest.newBuilder(signed("/v1/images/" + "A".repeat(43) + "/w_10.png")).GET()), 404);
        assertProblem(send(HttpRequest.newBuilder(uri("/v1/images/not-an-id/metadata")).GET()), 404);
    }

    @ParameterizedTest
    @Order(8)
    @CsvSource({
            "empty.jpg, 400, invalid-request",
            "text-named.jpg, 415, unsupported-image",
            "svg-script.svg, 415, unsupported-image",
            "truncated-progressive-64k.jpg, 422, corrupt-image",
            "truncated-png-half.png, 422, corrupt-image",
            "bomb-png-30000x30000-1bit.png, 422, limit-exceeded"})
    void badUploadsAreClearProblemsAndStoreNothing(String file, int status, String slug) throws Exception {
        long objectsBefore = objectCount();
        int recordsBefore = recordCount();
        long t0 = System.nanoTime();
        var r = send(HttpRequest.newBuilder(uri("/v1/images")).header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bad(file))));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        JsonNode problem = assertProblem(r, status);
        assertEquals("https://image-scaler.dev/problems/" + slug, problem.get("type").asText());
        System.out.printf("bad upload %s -> %d in %d ms%n", file, r.statusCode(), ms);
        // Generous bound against a hung or memory-hungry decode; the figure itself is printed above.
        assertTrue(ms < 5_000, file + " took " + ms + " ms");
        assertEquals(objectsBefore, objectCount(), "no object was left behind");
        assertEquals(recordsBefore, recordCount(), "no record was left behind");
    }

    @Test
    @Order(9)
    void deleteRemovesOriginalVariantsAndRecord() throws Exception {
        String id = uploaded.get("png-rgba-dice-800x600.png");
        var s3 = edge.wiring().clients().s3();
        assertFalse(s3.listObjectsV2(r -> r.bucket("image-storage-generated").prefix(id + "/")).contents().isEmpty());

        var deleted = send(HttpRequest.newBuilder(uri("/v1/images/" + id)).DELETE());
        assertEquals(204, deleted.statusCode());

        assertTrue(s3.listObjectsV2(r -> r.bucket("image-storage-generated").prefix(id + "/")).contents().isEmpty());
        try {
            s3.headObject(r -> r.bucket("image-storage").key("originals/" + id));
            throw new AssertionError("original still there");
        } catch (NoSuchKeyException expected) {
            // gone
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            assertEquals(404, e.statusCode());
        }
        assertProblem(send(HttpRequest.newBuilder(uri("/v1/images/" + id + "/metadata")).GET()), 404);
        assertProblem(send(HttpRequest.newBuilder(signed("/v1/images/" + id + "/w_200.png")).GET()), 404);
        assertProblem(send(HttpRequest.newBuilder(signed("/v1/images/" + id + "/original")).GET()), 404);
        assertProblem(send(HttpRequest.newBuilder(uri("/v1/images/" + id)).DELETE()), 404);
        uploaded.remove("png-rgba-dice-800x600.png");
    }

    @Test
    @Order(10)
    void dataSurvivesARestart() throws Exception {
        String id = uploaded.get("webp-lossy-alpha-300.webp");
        edge.close();
        edge = LocalEdge.start(0, data, Map.of());
        var meta = send(HttpRequest.newBuilder(uri("/v1/images/" + id + "/metadata")).GET());
        assertEquals(200, meta.statusCode());
        var variant = send(HttpRequest.newBuilder(signed("/v1/images/" + id + "/h_50.png")).GET());
        assertEquals("Hit from generated bucket", variant.headers().firstValue("X-Cache").orElseThrow());
    }

    private JsonNode assertProblem(HttpResponse<byte[]> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), () -> new String(r.body()));
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElseThrow());
        JsonNode problem = JSON.readTree(r.body());
        assertEquals(status, problem.get("status").asInt());
        assertTrue(problem.get("type").asText().startsWith("https://image-scaler.dev/problems/"));
        assertFalse(problem.get("detail").asText().isBlank());
        assertFalse(new String(r.body()).contains("at io."), "no stack trace");
        return problem;
    }

    private long objectCount() {
        var s3 = edge.wiring().clients().s3();
        return s3.listObjectsV2(r -> r.bucket("image-storage")).keyCount()
                + s3.listObjectsV2(r -> r.bucket("image-storage-generated")).keyCount();
    }

    private int recordCount() {
        return edge.wiring().clients().dynamo().scan(r -> r.tableName("image-records")).count();
    }

    private static void assertDimensions(byte[] image, int w, int h) throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(image));
        assertNotNull(img, "decodable");
        assertEquals(w, img.getWidth(), "width");
        assertEquals(h, img.getHeight(), "height");
    }

    private URI uri(String path) {
        return URI.create(edge.baseUrl() + path);
    }

    /** Variants and originals sit behind CloudFront's signed-URL check: sign with the edge's dev key. */
    private URI signed(String path) {
        return Signed.uri(edge, path);
    }

    /** Sends as the local dev user (the edge's dev issuer token) unless the request names someone else. */
    private HttpResponse<byte[]> send(HttpRequest.Builder b) throws Exception {
        HttpRequest request = b.timeout(Duration.ofSeconds(60)).build();
        if (request.headers().firstValue("Authorization").isEmpty()) {
            request = HttpRequest.newBuilder(request, (name, value) -> true)
                    .header("Authorization", "Bearer " + java.nio.file.Files.readString(
                            edge.issuer().tokenFile(io.imagescaler.edge.access.DevIssuer.USER)))
                    .build();
        }
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
}
