package io.imagescaler.sr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SageMaker container contract over real HTTP on 127.0.0.1, with the real medium models. */
class SrServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static SrServer server;

    @BeforeAll
    static void start() throws Exception {
        // small limits so that over-limit inputs are small files; tiny tiles so the 64 px inputs are tiled
        SrConfig config = SrConfig.defaults().withPort(0).withThreads(2)
                .withLimits(200_000, 300 * 300, 300 * 300 * 4)
                .withTiling(32, 16, 4);
        server = SrServer.start(config).awaitReady(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    private static HttpResponse<byte[]> post(String query, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(server.baseUri().resolve("invocations" + query))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(req::header);
        return HTTP.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static BufferedImage png(HttpResponse<byte[]> response) throws IOException {
        assertEquals(200, response.statusCode(), () -> new String(response.body()));
        assertEquals("image/png", response.headers().firstValue("Content-Type").orElseThrow());
        return ImageIO.read(new ByteArrayInputStream(response.body()));
    }

    private static JsonNode problem(HttpResponse<byte[]> response, int status, String slug) throws IOException {
        assertEquals(status, response.statusCode(), () -> new String(response.body()));
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/problem+json"));
        JsonNode body = JSON.readTree(response.body());
        assertEquals("https://image-scaler.dev/problems/" + slug, body.get("type").asText());
        assertEquals(status, body.get("status").asInt());
        assertTrue(body.get("detail").asText().length() > 10);
        return body;
    }

    @Test
    void pingIsOkOnceTheModelsAreLoaded() throws Exception {
        HttpResponse<String> ping = HTTP.send(HttpRequest.newBuilder(server.baseUri().resolve("ping")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ping.statusCode());
        JsonNode body = JSON.readTree(ping.body());
        assertEquals("ready", body.get("status").asText());
        assertEquals("esrgan-medium-x4", body.get("models").get("4").asText());
        assertTrue(server.baseUri().getHost().equals("127.0.0.1"));
    }

    @Test
    void pingIs503WhileTheModelsLoadAnd200Afterwards() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        SrConfig config = SrConfig.defaults().withPort(0).withThreads(1).withModels(Map.of(2, "esrgan-medium-x2"), 2);
        try (SrServer loading = SrServer.start(config, () -> {
            release.await();
            return SuperResolution.load(config);
        })) {
            HttpRequest pingReq = HttpRequest.newBuilder(loading.baseUri().resolve("ping")).build();
            HttpResponse<String> before = HTTP.send(pingReq, HttpResponse.BodyHandlers.ofString());
            assertEquals(503, before.statusCode());
            assertEquals("loading", JSON.readTree(before.body()).get("status").asText());
            HttpResponse<byte[]> early = HTTP.send(HttpRequest.newBuilder(loading.baseUri().resolve("invocations"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(TestImages.bytes("images/png-tiny-16x16.png"))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            problem(early, 503, "model-not-ready");
            release.countDown();
            loading.awaitReady(Duration.ofSeconds(60));
            assertEquals(200, HTTP.send(pingReq, HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<byte[]> after = HTTP.send(HttpRequest.newBuilder(loading.baseUri().resolve("invocations"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(TestImages.bytes("images/png-tiny-16x16.png"))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(32, png(after).getWidth());
        }
    }

    @Test
    void pingIs503AndInvocationsAreRefusedWhileNoModelIsLoaded(@TempDir Path dir) throws Exception {
        // a model file that ONNX Runtime cannot parse: loading fails, the server must keep saying "not ready"
        Files.write(dir.resolve("broken.onnx"), "not a model".getBytes());
        SrConfig config = SrConfig.fromEnvironment(Map.of("SR_PORT", "0", "SR_MODEL_DIR", dir.toString(),
                "SR_MODELS", "4=broken"));
        try (SrServer broken = SrServer.start(config)) {
            HttpRequest pingReq = HttpRequest.newBuilder(broken.baseUri().resolve("ping")).build();
            assertEquals(503, HTTP.send(pingReq, HttpResponse.BodyHandlers.ofString()).statusCode());
            try {
                broken.awaitReady(Duration.ofSeconds(30));
            } catch (IllegalStateException expected) {
                // the load failed, as it should
            }
            HttpResponse<String> ping = HTTP.send(pingReq, HttpResponse.BodyHandlers.ofString());
            assertEquals(503, ping.statusCode());
            assertEquals("failed", JSON.readTree(ping.body()).get("status").asText());
            HttpResponse<byte[]> inv = HTTP.send(HttpRequest.newBuilder(broken.baseUri().resolve("invocations"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(TestImages.bytes("images/png-tiny-16x16.png"))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(503, inv.statusCode());
        }
    }

    @Test
    void pngInvocationAnswersAnExactlyScaledPngThatIsNotAResampledCopy() throws Exception {
        BufferedImage crop = TestImages.diceCrop(300, 200, 64, 48);
        byte[] body = TestImages.encode(crop, "png");
        for (int scale : new int[]{2, 4}) {
            HttpResponse<byte[]> response = post("", Map.of("X-Scale", String.valueOf(scale), "Content-Type", "image/png"), body);
            BufferedImage out = png(response);
            assertEquals(64 * scale, out.getWidth());
            assertEquals(48 * scale, out.getHeight());
            assertEquals("esrgan-medium-x" + scale, response.headers().firstValue("X-Model").orElseThrow());
            // the same picture as a bicubic enlargement, but not that enlargement: the network adds detail
            double[] diff = meanAndMaxDiff(out, bicubic(crop, scale));
            assertTrue(diff[0] < 12, "mean difference to bicubic " + diff[0] + ": not the same picture?");
            assertTrue(diff[0] > 0.8 && diff[1] > 25, "output too close to bicubic: " + Arrays.toString(diff));
        }
    }

    @Test
    void scaleCanComeFromQueryOrSageMakerCustomAttributes() throws Exception {
        byte[] body = TestImages.encode(TestImages.diceCrop(300, 200, 20, 16), "png");
        assertEquals(40, png(post("?scale=2", Map.of(), body)).getWidth());
        assertEquals(40, png(post("", Map.of("X-Amzn-SageMaker-Custom-Attributes", "trace=abc,scale=2"), body)).getWidth());
        assertEquals(80, png(post("", Map.of(), body)).getWidth(), "default scale is 4");
    }

    @Test
    void jpegInputIsAcceptedAndPngAlphaIsKept() throws Exception {
        BufferedImage jpeg = png(post("?scale=2", Map.of(), TestImages.bytes("images/jpeg-tiny-40x60-orient3.jpg")));
        assertEquals(80, jpeg.getWidth());
        assertEquals(120, jpeg.getHeight());
        assertTrue(!jpeg.getColorModel().hasAlpha());

        // the dice photo's corner: dice on a transparent background
        BufferedImage source = TestImages.read("images/png-rgba-dice-800x600.png").getSubimage(0, 0, 48, 40);
        BufferedImage out = png(post("?scale=2", Map.of(), TestImages.encode(source, "png")));
        assertEquals(96, out.getWidth());
        assertTrue(out.getColorModel().hasAlpha());
        int compared = 0;
        for (int y = 2; y < 38; y += 3)
            for (int x = 2; x < 46; x += 3) {
                int a = source.getRGB(x, y) >>> 24, b = out.getRGB(2 * x + 1, 2 * y + 1) >>> 24;
                if (a == 0 || a == 255) {
                    assertTrue(Math.abs(a - b) < 40, "alpha at " + x + "," + y + ": " + a + " became " + b);
                    compared++;
                }
            }
        assertTrue(compared > 50);
    }

    @Test
    void overLimitInputsAre413ProblemsCheckedBeforeDecoding() throws Exception {
        // 30000x30000 declared in a tiny file: refused from the header, never decoded
        JsonNode bomb = problem(post("?scale=2", Map.of(), TestImages.bytes("bad/bomb-png-30000x30000-1bit.png")), 413, "payload-too-large");
        assertTrue(bomb.get("detail").asText().contains("30000x30000"));
        // over the input-pixel limit (90000 here)
        problem(post("?scale=2", Map.of(), TestImages.encode(TestImages.diceCrop(0, 0, 400, 300), "jpg")), 413, "payload-too-large");
        // within the input limit but over the output limit at x4 (360000 here); fine at x2
        byte[] square = TestImages.encode(TestImages.diceCrop(0, 0, 160, 160), "jpg");
        problem(post("?scale=4", Map.of(), square), 413, "payload-too-large");
        // over the byte limit (200000 here)
        byte[] big = new byte[250_000];
        problem(post("?scale=2", Map.of(), big), 413, "payload-too-large");
    }

    @Test
    void badBodiesAndBadScalesAre400Problems() throws Exception {
        problem(post("?scale=2", Map.of(), new byte[0]), 400, "invalid-image");
        problem(post("?scale=2", Map.of(), TestImages.bytes("bad/text-named.png")), 400, "invalid-image");
        byte[] png = TestImages.encode(TestImages.diceCrop(100, 100, 64, 64), "png");
        problem(post("?scale=2", Map.of(), Arrays.copyOf(png, png.length / 2)), 400, "invalid-image");
        problem(post("?scale=2", Map.of(), TestImages.encode(TestImages.diceCrop(0, 0, 16, 16), "gif")), 400, "invalid-image");
        byte[] ok = TestImages.bytes("images/png-tiny-16x16.png");
        problem(post("?scale=3", Map.of(), ok), 400, "invalid-request");
        problem(post("", Map.of("X-Scale", "four"), ok), 400, "invalid-request");
    }

    private static BufferedImage bicubic(BufferedImage src, int scale) {
        BufferedImage out = new BufferedImage(src.getWidth() * scale, src.getHeight() * scale, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(src, 0, 0, out.getWidth(), out.getHeight(), null);
        g.dispose();
        return out;
    }

    private static double[] meanAndMaxDiff(BufferedImage a, BufferedImage b) {
        double sum = 0;
        int max = 0;
        for (int y = 0; y < a.getHeight(); y++)
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y), q = b.getRGB(x, y);
                for (int s = 0; s <= 16; s += 8) {
                    int d = Math.abs(((p >> s) & 0xff) - ((q >> s) & 0xff));
                    sum += d;
                    max = Math.max(max, d);
                }
            }
        return new double[]{sum / (3.0 * a.getWidth() * a.getHeight()), max};
    }
}
