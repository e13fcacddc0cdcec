package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.edge.access.DevIssuer;
import io.imagescaler.waf.WafDecision;
import io.imagescaler.waf.WafRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The regional WAF ACL as the edge loads it (origin secret filled in, current and previous), the upload size rule
 * over HTTP, and {@code .auto}: rewritten from Accept after the signature check and before the generated-bucket
 * lookup, so the bucket key names the concrete format; a viewer that takes neither AVIF nor WebP gets the
 * origin's baseline, stored as {@code .auto}: JPEG, or PNG for an original with alpha.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeWafAndFormatsTest {
    static final String CHROME = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";
    static final String JPEG_ONLY = "image/jpeg";
    /** Chrome 85, before AVIF: WebP whatever the engine encodes (AutoFormatOverHttpTest covers AVIF). */
    static final String WEBP_VIEWER = "image/webp,image/apng,image/*,*/*;q=0.8";

    @TempDir
    static Path data;
    LocalEdge edge;
    String secret;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        edge = LocalEdge.start(0, data, Map.of("ORIGIN_VERIFY_PREVIOUS", "the-previous-secret"));
        secret = Files.readString(data.resolve("origin-verify.secret")).trim();
    }

    @AfterAll
    void stop() {
        if (edge != null) edge.close();
    }

    private WafDecision regional(Map<String, String> headers) {
        return edge.webAcls().origin(WafRequest.of("GET", "/v1/images/" + "A".repeat(43) + "/metadata", headers,
                "198.51.100.7", Instant.now()));
    }

    @Test
    void theRegionalAclBlocksRequestsWithoutTheOriginSecret() {
        WafDecision none = regional(Map.of());
        assertTrue(none.blocked());
        assertEquals("origin-verify", none.terminatingRule());
        assertTrue(regional(Map.of("X-Origin-Verify", "forged-" + secret)).blocked());
        assertTrue(regional(Map.of("X-Origin-Verify", "")).blocked());
        assertFalse(regional(Map.of("X-Origin-Verify", secret)).blocked(), "current secret");
        assertFalse(regional(Map.of("X-Origin-Verify", "the-previous-secret")).blocked(), "previous secret");
    }

    @Test
    void anUploadOverTheSyncLimitIsBlockedByTheRegionalAcl() throws Exception {
        long handler = edge.server().handlerInvocations();
        var r = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images"))
                .header("Authorization", edge.issuer().bearer(DevIssuer.USER))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[5 * 1024 * 1024 + 1])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode(), r.body());
        assertEquals("{\"message\":\"Forbidden\"}", r.body());
        assertEquals(handler, edge.server().handlerInvocations(), "WAF stopped it before the handler");
    }

    private String upload(String file) throws Exception {
        var created = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images"))
                .header("Authorization", edge.issuer().bearer(DevIssuer.USER))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.image(file))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        return created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    }

    private HttpResponse<byte[]> auto(String id, String transform, String accept) throws Exception {
        var b = HttpRequest.newBuilder(Signed.uri(edge, "/v1/images/" + id + "/" + transform + ".auto")).GET();
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private void assertStored(String key) {
        assertNotNull(edge.wiring().clients().s3().headObject(r -> r.bucket("image-storage-generated").key(key)));
    }

    @Test
    void autoBecomesWebpForAWebpViewerAndJpegForAJpegOnlyViewer() throws Exception {
        String id = upload("jpeg-tiny-40x60-orient3.jpg");
        var chrome = auto(id, "w_20", WEBP_VIEWER);
        assertEquals(200, chrome.statusCode(), () -> new String(chrome.body()));
        assertEquals("image/webp", chrome.headers().firstValue("Content-Type").orElseThrow());
        assertStored(id + "/w_20.webp");

        var old = auto(id, "w_20", JPEG_ONLY);
        assertEquals(200, old.statusCode());
        assertEquals("image/jpeg", old.headers().firstValue("Content-Type").orElseThrow());
        assertStored(id + "/w_20.auto");

        // The second Chrome request is found in the bucket under the concrete key: the cache keys on the format.
        long hits = edge.server().bucketHits();
        var again = auto(id, "w_20", WEBP_VIEWER);
        assertEquals("Hit from generated bucket", again.headers().firstValue("X-Cache").orElseThrow());
        assertEquals(hits + 1, edge.server().bucketHits());
        var keys = edge.wiring().clients().s3().listObjectsV2(r -> r.bucket("image-storage-generated").prefix(id + "/"))
                .contents().stream().map(o -> o.key()).toList();
        assertEquals(java.util.Set.of(id + "/w_20.webp", id + "/w_20.auto"), java.util.Set.copyOf(keys));
    }

    @Test
    void autoForAnImageWithAlphaFallsBackToPngNotJpeg() throws Exception {
        for (String file : new String[] {"png-rgba-dice-800x600.png", "webp-lossy-alpha-300.webp"}) {
            String id = upload(file);
            var jpegOnly = auto(id, "w_40", JPEG_ONLY);
            assertEquals(200, jpegOnly.statusCode(), () -> new String(jpegOnly.body()));
            assertEquals("image/png", jpegOnly.headers().firstValue("Content-Type").orElseThrow(), file);
            assertStored(id + "/w_40.auto");
            assertEquals("image/webp", auto(id, "w_40", WEBP_VIEWER).headers().firstValue("Content-Type").orElseThrow());
            // no Accept at all: the safest format for the image
            assertEquals("image/png", auto(id, "w_40", null).headers().firstValue("Content-Type").orElseThrow());
        }
    }

    @Test
    void theSignatureCoversTheAutoUrlNotTheRewrittenOne() throws Exception {
        String id = upload("jpeg-tiny-40x60-orient3.jpg");
        // signed for .webp, asked as .auto: refused, though .auto would become .webp for this viewer
        String signedWebp = Signed.uri(edge, "/v1/images/" + id + "/w_24.webp").toString();
        var r = http.send(HttpRequest.newBuilder(URI.create(signedWebp.replace("/w_24.webp?", "/w_24.auto?")))
                .header("Accept", CHROME).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, r.statusCode());
        assertEquals("text/xml", r.headers().firstValue("Content-Type").orElseThrow());
    }
}
