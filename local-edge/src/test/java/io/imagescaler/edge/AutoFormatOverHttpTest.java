package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.edge.access.DevIssuer;
import io.imagescaler.edge.gateway.EncodableFormats;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Accept table (waf-rules edge/accept-formats.json: current Chrome, Edge, Firefox, Safari with and without
 * AVIF, Safari without WebP, curl, no header, ...) through the real local edge over HTTP, for an opaque and a
 * transparent original, on the default engine and on the pure-Java fallback (which cannot encode AVIF, so the
 * edge must not choose it). The edge runs the CloudFront Function's own source; CloudFrontFunctionTableTest (cdk)
 * runs the same table against the synthesized template.
 */
class AutoFormatOverHttpTest {
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void defaultEngine(@TempDir Path data) throws Exception {
        try (LocalEdge edge = LocalEdge.start(0, data, Map.of("LOCAL_SR", "false"))) {
            table(edge);
        }
    }

    @Test
    void javaEngineNeverGetsAvif(@TempDir Path data) throws Exception {
        try (LocalEdge edge = LocalEdge.start(0, data, Map.of("IMAGE_ENGINE", "java", "LOCAL_SR", "false"))) {
            assertTrue(!EncodableFormats.of(edge.wiring().engine()).contains("avif"), "the Java engine has no AVIF encoder");
            table(edge);
        }
    }

    private void table(LocalEdge edge) throws Exception {
        boolean avif = EncodableFormats.of(edge.wiring().engine()).contains("avif");
        String opaque = upload(edge, "jpeg-tiny-40x60-orient3.jpg");
        String transparent = upload(edge, "png-rgba-dice-800x600.png");
        JsonNode table;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("edge/accept-formats.json")) {
            table = new ObjectMapper().readTree(in);
        }
        List<String> failures = new ArrayList<>();
        for (JsonNode c : table.path("cases")) {
            String accept = c.get("accept").isNull() ? null : c.get("accept").asText();
            String choice = c.get(avif ? "avif" : "noAvif").asText();
            for (String id : new String[] {opaque, transparent}) {
                String want = switch (choice) {
                    case "avif" -> "image/avif";
                    case "webp" -> "image/webp";
                    default -> id.equals(transparent) ? "image/png" : "image/jpeg";   // never JPEG for alpha
                };
                var b = HttpRequest.newBuilder(Signed.uri(edge, "/v1/images/" + id + "/w_24.auto")).GET();
                if (accept != null) {
                    b.header("Accept", accept);
                }
                var r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                String got = r.statusCode() + " " + r.headers().firstValue("Content-Type").orElse("-");
                if (!got.equals("200 " + want)) {
                    failures.add(c.get("name").asText() + (id.equals(transparent) ? " (alpha)" : "") + ": " + got
                            + ", want 200 " + want);
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    private String upload(LocalEdge edge, String file) throws Exception {
        var created = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images"))
                .header("Authorization", edge.issuer().bearer(DevIssuer.USER))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.image(file))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        return created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    }
}
