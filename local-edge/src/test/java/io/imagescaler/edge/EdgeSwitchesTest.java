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
                .header("Authorization", "Bearer " + Files.readString(edge.issuer().tokenFile(DevIssuer.USER)))
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

    @Test
    void theCloudFrontRateRuleBlocksAViewerOverTheLimit(@TempDir Path data) throws Exception {
        // The built-in ACL, with the per-IP limit lowered to WAF's minimum (10) instead of 2000.
        String acl;
        try (var in = WafEvaluator.class.getClassLoader().getResourceAsStream(WafEvaluator.CLOUDFRONT_ACL)) {
            acl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String lowered = acl.replace("\"Limit\": 2000", "\"Limit\": 10");
        assertTrue(!lowered.equals(acl), "the built-in rule still has a 2000 limit");
        Path file = Files.writeString(data.resolve("cloudfront-acl-low.json"), lowered);
        try (LocalEdge edge = LocalEdge.start(0, data.resolve("edge"),
                Map.of("WAF_CLOUDFRONT_ACL_FILE", file.toString()))) {
            URI unknown = URI.create(edge.baseUrl() + "/v1/images/" + "A".repeat(43) + "/metadata");
            for (int i = 1; i <= 10; i++) {
                assertEquals(404, get(unknown).statusCode(), "request " + i + " is within the limit");
            }
            long handler = edge.server().handlerInvocations();
            var blocked = get(unknown);
            assertEquals(403, blocked.statusCode());
            assertTrue(blocked.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
            assertTrue(blocked.body().contains("Request blocked"), blocked.body());
            assertEquals(handler, edge.server().handlerInvocations());
        }
    }
}
