package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.edge.access.DevIssuer;
import io.imagescaler.handler.storage.aws.S3Variants;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one miss may cost and how it is accounted, through the local edge: an over-budget transform is
 * refused before any work; variants wider than the original share one stored object; a miss's
 * Server-Timing names every stage, the record lookup included; and S3Proxy honours the conditional write
 * that decides the one writer across instances.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RenderBudgetTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;
    LocalEdge edge;
    String token;
    String id;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        edge = LocalEdge.start(0, data, Map.of("REQUIRE_SIGNED_URLS", "false", "TRACING", "off", "LOCAL_SR", "false"));
        token = Files.readString(edge.issuer().tokenFile(DevIssuer.USER));
        var r = send("/v1/images", HttpRequest.BodyPublishers.ofByteArray(Fixtures.image("png-rgba-dice-800x600.png")));
        assertEquals(201, r.statusCode(), r.body());
        id = JSON.readTree(r.body()).get("id").asText();
    }

    @AfterAll
    void stop() {
        if (edge != null) edge.close();
    }

    @Test
    void anOverBudgetRenderIsRefusedUpFront() throws Exception {
        long t0 = System.nanoTime();
        var r = get("/v1/images/" + id + "/w_8192,h_8192,fit_fill,up_lanczos,blur_100.png");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("budget | w_8192,h_8192,fit_fill,up_lanczos,blur_100.png: %d in %d ms%n", r.statusCode(), ms);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("problems/limit-exceeded"), r.body());
        assertEquals(Set.of(), storedVariants(), "nothing rendered, nothing stored");
        assertEquals(200, get("/v1/images/" + id + "/w_400,blur_100.png").statusCode(), "within the budget");
    }

    @Test
    void variantsWiderThanTheOriginalShareOneStoredObject() throws Exception {
        var a = get("/v1/images/" + id + "/w_1000.webp");
        var b = get("/v1/images/" + id + "/w_3000.webp");
        var c = get("/v1/images/" + id + "/w_500,dpr_2.webp");
        var up = get("/v1/images/" + id + "/w_1000,up_lanczos.webp");
        for (var r : List.of(a, b, c, up)) {
            assertEquals(200, r.statusCode(), r.body());
        }
        assertEquals(a.headers().firstValue("ETag"), b.headers().firstValue("ETag"));
        assertEquals(a.headers().firstValue("ETag"), c.headers().firstValue("ETag"));
        assertNotEquals(a.headers().firstValue("ETag"), up.headers().firstValue("ETag"), "up_ enlarges");
        Set<String> webp = new TreeSet<>(storedVariants());
        webp.removeIf(k -> !k.endsWith(".webp"));
        System.out.printf("budget | w_1000, w_3000, w_500,dpr_2 and w_1000,up_lanczos of an 800x600 original: stored %s%n",
                webp);
        assertEquals(Set.of(id + "/full.webp", id + "/w_1000,up_lanczos.webp"), webp);
    }

    @Test
    void everyStageOfAMissIsNamed() throws Exception {
        long t0 = System.nanoTime();
        var r = get("/v1/images/" + id + "/w_320,h_200,fit_cover.jpg");
        double clientMs = (System.nanoTime() - t0) / 1e6;
        String timing = r.headers().firstValue("Server-Timing").orElse("");
        double stages = 0;
        for (String part : timing.split(",\\s*")) {
            stages += Double.parseDouble(part.substring(part.indexOf("dur=") + 4));
        }
        System.out.printf("budget | a warm miss: Server-Timing '%s'; stages %.1f ms of %.1f ms seen by the client%n",
                timing, stages, clientMs);
        for (String stage : List.of("record", "cache", "queue", "fetch", "probe", "store")) {
            assertTrue(timing.contains(stage + ";dur="), stage + " in " + timing);
        }
    }

    @Test
    void s3ProxyHonoursTheConditionalWrite() {
        var variants = new S3Variants(edge.wiring().clients().s3(), "image-storage-generated");
        String key = id + "/conditional-probe-" + java.util.UUID.randomUUID() + ".bin";
        // The first write lands. Its answer may be false: a pooled connection S3Proxy had closed fails the first
        // attempt ("Error writing request body"), the SDK retries, and a retry of a write that did land is
        // answered 412 (in the handler that is harmless: it then serves the stored object). So what is checked
        // is the stored content after each writer.
        boolean first = variants.putIfAbsent(key, "first".getBytes(StandardCharsets.UTF_8), "text/plain", "no-store");
        assertEquals("first", new String(variants.get(key).orElseThrow().bytes(), StandardCharsets.UTF_8),
                "the first writer's object is stored (answered " + first + ")");
        assertFalse(variants.putIfAbsent(key, "second".getBytes(StandardCharsets.UTF_8), "text/plain", "no-store"),
                "If-None-Match: * refuses a second writer (412)");
        assertEquals("first", new String(variants.get(key).orElseThrow().bytes(), StandardCharsets.UTF_8));
        edge.wiring().clients().s3().deleteObject(d -> d.bucket("image-storage-generated").key(key));
    }

    private Set<String> storedVariants() {
        Set<String> keys = new TreeSet<>();
        edge.wiring().clients().s3().listObjectsV2Paginator(b -> b.bucket("image-storage-generated").prefix(id + "/"))
                .contents().forEach(o -> keys.add(o.key()));
        return keys;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String path, HttpRequest.BodyPublisher body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + path))
                .header("Authorization", "Bearer " + token).POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }
}
