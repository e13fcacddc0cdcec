package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.edge.access.DevIssuer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole service on the pure-Java engine ({@code IMAGE_ENGINE=java}, what {@code auto} falls back to
 * where the OpenCV natives cannot load): uploads are probed, variants render in every format, {@code .auto}
 * still negotiates WebP, and a hostile upload is still a 4xx problem.
 */
class JavaEngineEdgeTest {
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyFormatIsServedOnTheJavaEngine(@TempDir Path data) throws Exception {
        try (LocalEdge edge = LocalEdge.start(0, data, Map.of("IMAGE_ENGINE", "java", "LOCAL_SR", "false"))) {
            assertFalse(edge.wiring().engine().finalOutput(), "the pure-Java fallback serves");
            String token = Files.readString(edge.issuer().tokenFile(DevIssuer.USER));
            var created = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images"))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.image("png-rgba-dice-800x600.png"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            String id = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            for (String[] v : new String[][] {{"w_200.jpg", "image/jpeg", "200x150"}, {"w_200.png", "image/png", "200x150"},
                {"w_200.webp", "image/webp", "200x150"}, {"w_100,h_100,fit_cover.gif", "image/gif", "100x100"},
                {"w_120,h_60,fit_contain,bg_ff0000.jpg", "image/jpeg", "120x60"}}) {
                var r = http.send(HttpRequest.newBuilder(Signed.uri(edge, "/v1/images/" + id + "/" + v[0])).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, r.statusCode(), v[0] + ": " + new String(r.body()));
                assertEquals(v[1], r.headers().firstValue("Content-Type").orElseThrow(), v[0]);
                BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.body()));
                assertEquals(v[2], img.getWidth() + "x" + img.getHeight(), v[0]);
                // the fallback's output is neither cached as final nor stored in the generated bucket
                assertEquals("public, max-age=60", r.headers().firstValue("Cache-Control").orElseThrow(), v[0]);
                assertEquals("fallback", r.headers().firstValue("X-Engine").orElseThrow(), v[0]);
            }
            var auto = http.send(HttpRequest.newBuilder(Signed.uri(edge, "/v1/images/" + id + "/w_300.auto"))
                    .header("Accept", "image/avif,image/webp,*/*").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, auto.statusCode());
            assertEquals("image/webp", auto.headers().firstValue("Content-Type").orElseThrow());

            var hostile = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images"))
                    .header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.bad("truncated-png-half.png"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(hostile.statusCode() >= 400 && hostile.statusCode() < 500, hostile.statusCode() + " " + hostile.body());
            assertEquals("application/problem+json", hostile.headers().firstValue("Content-Type").orElseThrow());
        }
    }
}
