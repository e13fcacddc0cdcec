package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.edge.access.DevIssuer;
import io.imagescaler.waf.WafEvaluator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration that changes the edge's behaviour: bounded variants (WIDTH_LADDER, PRESETS_ONLY), the
 * REQUIRE_SIGNED_URLS switch, and a CloudFront ACL file with a low rate limit (WAF_CLOUDFRONT_ACL_FILE).
 */
class EdgeSwitchesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    private String upload(LocalEdge edge, String file) throws Exception {
        var created = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images"))
                .header("Authorization", edge.issuer().bearer(DevIssuer.USER))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.image(file))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        return created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertProblemNaming(HttpResponse<String> r, String... named) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElseThrow());
        String detail = JSON.readTree(r.body()).get("detail").asText();
        for (String n : named) {
            assertTrue(detail.contains(n), detail);
        }
    }

    @Test
    void aWidthLadderRefusesOtherWidths(@TempDir Path data) throws Exception {
        try (LocalEdge edge = LocalEdge.start(0, data, Map.of("WIDTH_LADDER", "320,640,960,1280,1920"))) {
            String id = upload(edge, "png-rgba-dice-800x600.png");
            assertEquals(200, get(Signed.uri(edge, "/v1/images/" + id + "/w_320.webp")).statusCode());
            assertEquals(200, get(Signed.uri(edge, "/v1/images/" + id + "/w_640,h_100,fit_cover.jpg")).statusCode());
            assertProblemNaming(get(Signed.uri(edge, "/v1/images/" + id + "/w_321.webp")), "321",
                    "320, 640, 960, 1280, 1920");
            assertProblemNaming(get(Signed.uri(edge, "/v1/images/" + id + "/p_thumb,w_100.webp")), "100");
            var keys = edge.wiring().clients().s3().listObjectsV2(r -> r.bucket("image-storage-generated")
                    .prefix(id + "/")).contents();
            assertEquals(2, keys.size(), "nothing stored for refused variants: " + keys);
        }
    }

    @Test
    void presetsOnlyRefusesFreeTransformsAndSignedUrlsCanBeSwitchedOff(@TempDir Path data) throws Exception {
        try (LocalEdge edge = LocalEdge.start(0, data, Map.of("PRESETS_ONLY", "true", "REQUIRE_SIGNED_URLS", "false"))) {
            String id = upload(edge, "png-rgba-dice-800x600.png");
            // unsigned: the developer's switch is off
            var thumb = get(URI.create(edge.baseUrl() + "/v1/images/" + id + "/p_thumb.webp"));
            assertEquals(200, thumb.statusCode(), thumb.body());
            assertProblemNaming(get(URI.create(edge.baseUrl() + "/v1/images/" + id + "/w_150.webp")),
                    "presets only", "avatar, card, hero, thumb");
            assertProblemNaming(get(URI.create(edge.baseUrl() + "/v1/images/" + id + "/p_thumb,q_50.webp")),
                    "presets only");
        }
    }

    private static String builtIn(String resource) throws Exception {
        try (var in = WafEvaluator.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Path lowered(Path dir, String resource, String from, String to) throws Exception {
        String acl = builtIn(resource);
        String changed = acl.replace(from, to);
        assertTrue(!changed.equals(acl), resource + " no longer holds " + from);
        return Files.writeString(dir.resolve(resource.replace('/', '-')), changed);
    }

    @Test
    void rateRulesBlockAViewerOverTheLimit(@TempDir Path data) throws Exception {
        // The built-in ACLs with their per-IP limits lowered: regional (by X-Forwarded-For, which the edge adds
        // as CloudFront does) to WAF's minimum of 10, CloudFront's (by socket address) to 20.
        Path regional = lowered(data, WafEvaluator.REGIONAL_ACL, "\"Limit\": 1000", "\"Limit\": 10");
        Path cloudFront = lowered(data, WafEvaluator.CLOUDFRONT_ACL, "\"Limit\": 2000", "\"Limit\": 20");
        try (LocalEdge edge = LocalEdge.start(0, data.resolve("edge"), Map.of(
                "WAF_REGIONAL_ACL_FILE", regional.toString(), "WAF_CLOUDFRONT_ACL_FILE", cloudFront.toString()))) {
            URI unknown = URI.create(edge.baseUrl() + "/v1/images/" + "A".repeat(43) + "/metadata");
            for (int i = 1; i <= 10; i++) {
                assertEquals(404, get(unknown).statusCode(), "request " + i + " is within both limits");
            }
            long handler = edge.server().handlerInvocations();
            for (int i = 11; i <= 20; i++) {
                var blocked = get(unknown);
                assertEquals(403, blocked.statusCode(), "request " + i);
                assertEquals("{\"message\":\"Forbidden\"}", blocked.body(), "the regional ACL (API Gateway's body)");
            }
            var blocked = get(unknown);
            assertEquals(403, blocked.statusCode());
            assertTrue(blocked.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
            assertTrue(blocked.body().contains("Request blocked"), "the CloudFront ACL: " + blocked.body());
            assertEquals(handler, edge.server().handlerInvocations(), "no blocked request reached the handler");
        }
    }
}
