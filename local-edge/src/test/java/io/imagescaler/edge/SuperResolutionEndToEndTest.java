package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.edge.access.DevIssuer;
import io.imagescaler.handler.transform.Limits;
import io.imagescaler.handler.transform.Pipeline;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code up_sr} end to end: the local edge runs the sr-endpoint server in-process (ESRGAN medium on CPU),
 * the handler sends it the original, resizes its answer to the target and stores the variant.
 */
class SuperResolutionEndToEndTest {

    @Test
    void anSrVariantComesFromTheModelAndIsStored(@TempDir Path data) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Pipeline engine = new Pipeline();
        byte[] dice = Fixtures.image("png-rgba-dice-800x600.png");
        byte[] small = engine.render(dice, engine.probe(dice, Limits.DEFAULT), TransformSpec.parse("w_160"),
                ImageFormat.PNG, Limits.DEFAULT).bytes();
        try (LocalEdge edge = LocalEdge.start(0, data, Map.of())) {
            String bearer = edge.issuer().bearer(DevIssuer.USER);
            var created = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images"))
                    .header("Authorization", bearer).POST(HttpRequest.BodyPublishers.ofByteArray(small)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            String id = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            URI variant = Signed.uri(edge, "/v1/images/" + id + "/w_320,up_sr.png");

            // The models load in the background after start; until then the handler answers with its
            // Lanczos fallback (not stored), so ask until the model answers.
            HttpResponse<byte[]> r;
            Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
            do {
                r = http.send(HttpRequest.newBuilder(variant).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, r.statusCode(), new String(r.body()));
            } while (!r.headers().firstValue("X-Upscale").orElse("").startsWith("sr-") && Instant.now().isBefore(deadline)
                    && sleep());
            assertEquals("sr-x2", r.headers().firstValue("X-Upscale").orElse(""), r.headers().toString());
            var image = ImageIO.read(new ByteArrayInputStream(r.body()));
            assertEquals(320, image.getWidth());
            assertEquals(240, image.getHeight());
            assertTrue(r.headers().firstValue("Server-Timing").orElse("").contains("sr;dur="));

            var again = http.send(HttpRequest.newBuilder(variant).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals("Hit from generated bucket", again.headers().firstValue("X-Cache").orElse(""));
        }
    }

    private static boolean sleep() throws InterruptedException {
        Thread.sleep(500);
        return true;
    }
}
