package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagescaler.edge.access.DevIssuer;
import io.imagescaler.handler.transform.Limits;
import io.imagescaler.handler.transform.Pipeline;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Moderation end to end over HTTP: the handler's real Rekognition SDK client talks to the edge's local
 * protocol server. The flagged and rejected paths use its rules file (answers keyed by sha256 that
 * override the classifier, since no explicit image is kept in the repository); the clean ones are
 * answered by the classifier itself (see ModerationModelTest).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModerationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORIGINALS = "image-storage";
    private static final String GENERATED = "image-storage-generated";

    @TempDir
    static Path data;
    LocalEdge edge;
    Path rules;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String flaggedId;
    String cleanId;

    @BeforeAll
    void start() throws Exception {
        rules = data.resolve("rules.json");
        writeRules(Map.of(
                sha256(Fixtures.image("png-rgba-dice-800x600.png")), new String[][] {
                        {"Explicit Nudity", "", "97.5"},
                        {"Graphic Male Nudity", "Explicit Nudity", "91.25"},
                        {"Suggestive", "", "40"}},        // below the minimum confidence: not reported
                sha256(Fixtures.image("png-16bit-rgba-pngsuite-basn6a16.png")), new String[][] {
                        {"Hate Symbols", "", "88"}}));
        edge = LocalEdge.start(0, data, Map.of(
                "MODERATION_RULES", rules.toString(),
                "MODERATION_MIN_CONFIDENCE", "60",
                "MODERATION_REJECTED_CATEGORIES", "Hate Symbols",
                // signed URLs are tested in SignedUrlsAtTheEdgeTest; here they would only add noise
                "REQUIRE_SIGNED_URLS", "false"));
    }

    @AfterAll
    void stop() {
        if (edge != null) edge.close();
    }

    @Test
    @Order(1)
    void aFlaggedImageIsStoredBlurredWithItsOriginalInQuarantine() throws Exception {
        byte[] original = Fixtures.image("png-rgba-dice-800x600.png");
        long calls = edge.moderation().requests();
        var r = post("/v1/images", original);
        assertEquals(201, r.statusCode(), () -> new String(r.body()));
        assertEquals(calls + 1, edge.moderation().requests(), "the SDK client reached the protocol server");
        JsonNode record = JSON.readTree(r.body());
        flaggedId = record.get("id").asText();
        assertEquals("BLURRED", record.get("status").asText());
        assertTrue(record.get("statusReason").asText().contains("Explicit Nudity (97.5%)"), record.toString());

        JsonNode meta = JSON.readTree(get("/v1/images/" + flaggedId + "/metadata").body());
        assertEquals("BLURRED", meta.get("status").asText());
        JsonNode moderation = meta.get("moderation");
        assertEquals("BLUR", moderation.get("action").asText());
        assertEquals("local-test-rules-7", moderation.get("modelVersion").asText());
        assertEquals(2, moderation.get("labels").size(), "the 40% label is below the minimum");
        assertEquals("Explicit Nudity", moderation.get("labels").get(0).get("name").asText());
        assertEquals(97.5, moderation.get("labels").get(0).get("confidence").asDouble());
        assertEquals("Explicit Nudity", moderation.get("labels").get(1).get("parentName").asText());

        byte[] quarantined = s3Bytes(ORIGINALS, "quarantine/" + flaggedId);
        assertArrayEquals(original, quarantined, "the unblurred original is kept in quarantine/");
        var served = get("/v1/images/" + flaggedId + "/original");
        assertEquals(200, served.statusCode());
        assertEquals("image/jpeg", served.headers().firstValue("Content-Type").orElseThrow(), "a JPEG master");
        assertFalse(java.util.Arrays.equals(original, served.body()), "the served master is not the original");
        BufferedImage master = ImageIO.read(new ByteArrayInputStream(served.body()));
        assertEquals(800, master.getWidth());
        assertEquals(600, master.getHeight());
    }

    @Test
    @Order(2)
    void everyVariantOfAFlaggedImageIsBlurred() throws Exception {
        byte[] original = Fixtures.image("png-rgba-dice-800x600.png");
        var r = get("/v1/images/" + flaggedId + "/w_400.png");
        assertEquals(200, r.statusCode(), () -> new String(r.body()));
        BufferedImage served = ImageIO.read(new ByteArrayInputStream(r.body()));
        // The same variant rendered from the unflagged original, by the same engine.
        Pipeline engine = new Pipeline();
        byte[] clean = engine.render(original, engine.probe(original, Limits.DEFAULT), TransformSpec.parse("w_400"),
                ImageFormat.PNG, Limits.DEFAULT).bytes();
        BufferedImage reference = ImageIO.read(new ByteArrayInputStream(clean));
        assertEquals(reference.getWidth(), served.getWidth());
        double sharp = laplacianVariance(reference);
        double blurred = laplacianVariance(served);
        System.out.printf("Laplacian variance w_400.png: unflagged %.2f, flagged %.4f (ratio %.0fx)%n",
                sharp, blurred, sharp / blurred);
        writeContactSheet(reference, served, Path.of("target", "moderation-contact-sheet.png"));
        // ~1.7 is the floor of this measure on 8-bit pixels (rounding noise alone): the flagged variant sits on it.
        assertTrue(blurred * 50 < sharp, "flagged variant is far blurrier: " + blurred + " vs " + sharp);

        // A second variant, of another size and format, is just as blurred.
        var small = get("/v1/images/" + flaggedId + "/w_200,h_200,fit_cover.jpg");
        assertEquals(200, small.statusCode());
        assertTrue(laplacianVariance(ImageIO.read(new ByteArrayInputStream(small.body()))) * 20
                < laplacianVariance(ImageIO.read(new ByteArrayInputStream(engine.render(original,
                engine.probe(original, Limits.DEFAULT), TransformSpec.parse("w_200,h_200,fit_cover"), ImageFormat.JPG,
                Limits.DEFAULT).bytes()))));
    }

    @Test
    @Order(3)
    void aCleanImageIsReadyAndItsOriginalServedAsIs() throws Exception {
        byte[] original = Fixtures.image("webp-lossy-alpha-300.webp");   // WebP: the model sees a JPEG copy
        var r = post("/v1/images", original);
        assertEquals(201, r.statusCode(), () -> new String(r.body()));
        JsonNode record = JSON.readTree(r.body());
        cleanId = record.get("id").asText();
        assertEquals("READY", record.get("status").asText());
        assertEquals("ALLOW", record.get("moderation").get("action").asText());
        assertEquals(0, record.get("moderation").get("labels").size());
        assertFalse(record.has("statusReason"));
        assertArrayEquals(original, get("/v1/images/" + cleanId + "/original").body());
        assertEquals(404, s3Status(ORIGINALS, "quarantine/" + cleanId), "nothing in quarantine");
    }

    @Test
    @Order(4)
    void aRejectedImageIsNeverServed() throws Exception {
        byte[] original = Fixtures.image("png-16bit-rgba-pngsuite-basn6a16.png");
        var r = post("/v1/images", original);
        assertEquals(201, r.statusCode(), () -> new String(r.body()));
        JsonNode record = JSON.readTree(r.body());
        String id = record.get("id").asText();
        assertEquals("REJECTED", record.get("status").asText());
        assertTrue(record.get("statusReason").asText().startsWith("rejected: Hate Symbols"));
        assertProblem(get("/v1/images/" + id + "/w_16.png"), 409);
        assertProblem(get("/v1/images/" + id + "/original"), 409);
        assertEquals(404, s3Status(ORIGINALS, "originals/" + id), "no servable master");
        assertArrayEquals(original, s3Bytes(ORIGINALS, "quarantine/" + id));
        assertEquals("REJECTED", JSON.readTree(get("/v1/images/" + id + "/metadata").body()).get("status").asText());
    }

    @Test
    @Order(5)
    void reModerationFlagsPurgesVariantsAndInvalidates() throws Exception {
        byte[] original = Fixtures.image("png-tiny-16x16.png");
        JsonNode created = JSON.readTree(post("/v1/images", original).body());
        String id = created.get("id").asText();
        assertEquals("READY", created.get("status").asText());
        assertEquals(200, get("/v1/images/" + id + "/w_8.png").statusCode());
        assertEquals(200, get("/v1/images/" + id + "/w_12.jpg").statusCode());
        assertEquals(2, generatedCount(id));

        // The policy's answer for this image changes (here: a new rule), and an admin re-moderates.
        addRule(sha256(original), "Violence", "", "82");
        var r = post("/v1/images/" + id + "/moderation", new byte[0]);
        assertEquals(200, r.statusCode(), () -> new String(r.body()));
        JsonNode after = JSON.readTree(r.body());
        assertEquals("BLURRED", after.get("status").asText());
        assertEquals(2, after.get("purgedVariants").asInt());
        assertTrue(after.get("invalidation").asText().startsWith("local-"));
        assertTrue(edge.cache().requested().contains("/v1/images/" + id + "/*"));
        assertEquals(0, generatedCount(id), "every generated variant is gone");
        assertArrayEquals(original, s3Bytes(ORIGINALS, "quarantine/" + id));
        assertFalse(java.util.Arrays.equals(original, get("/v1/images/" + id + "/original").body()));

        // Cleared again: the original comes back from quarantine, the blurred variants are purged.
        assertEquals(200, get("/v1/images/" + id + "/w_8.png").statusCode());
        removeRule(sha256(original));
        var cleared = post("/v1/images/" + id + "/moderation", new byte[0]);
        assertEquals(200, cleared.statusCode(), () -> new String(cleared.body()));
        assertEquals("READY", JSON.readTree(cleared.body()).get("status").asText());
        assertEquals(1, JSON.readTree(cleared.body()).get("purgedVariants").asInt());
        assertArrayEquals(original, get("/v1/images/" + id + "/original").body());
        assertEquals(404, s3Status(ORIGINALS, "quarantine/" + id));
    }

    @Test
    @Order(6)
    void reModerationAsksForAnAdminAnImageAndAPost() throws Exception {
        assertProblem(get("/v1/images/" + cleanId + "/moderation"), 405);
        var asUser = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images/" + cleanId
                + "/moderation")).header("Authorization", bearer(DevIssuer.USER))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertProblem(asUser, 403);
        assertProblem(post("/v1/images/" + "B".repeat(43) + "/moderation", new byte[0]), 404);
    }

    @Test
    @Order(7)
    void whenModerationFailsTheUploadFailsAndNothingIsStored() throws Exception {
        int objects = edge.wiring().clients().s3().listObjectsV2(b -> b.bucket(ORIGINALS)).keyCount();
        int records = edge.wiring().clients().dynamo().scan(b -> b.tableName("image-records")).count();
        edge.moderation().close();        // the model is unreachable from now on
        var r = post("/v1/images", Fixtures.image("jpeg-tiny-40x60-orient3.jpg"));
        assertProblem(r, 503);
        assertEquals(objects, (int) edge.wiring().clients().s3().listObjectsV2(b -> b.bucket(ORIGINALS)).keyCount());
        assertEquals(records, edge.wiring().clients().dynamo().scan(b -> b.tableName("image-records")).count());
    }

    // --- helpers

    /** Variance of the 4-neighbour Laplacian of the luma, composited on white: a standard sharpness measure. */
    static double laplacianVariance(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        double[] y = new double[w * h];
        for (int j = 0; j < h; j++) {
            for (int i = 0; i < w; i++) {
                int argb = img.getRGB(i, j);
                double a = (argb >>> 24) / 255.0;
                double luma = 0.299 * ((argb >> 16) & 0xff) + 0.587 * ((argb >> 8) & 0xff) + 0.114 * (argb & 0xff);
                y[j * w + i] = a * luma + (1 - a) * 255;
            }
        }
        double sum = 0;
        double sumSq = 0;
        int n = 0;
        for (int j = 1; j < h - 1; j++) {
            for (int i = 1; i < w - 1; i++) {
                double l = 4 * y[j * w + i] - y[j * w + i - 1] - y[j * w + i + 1] - y[(j - 1) * w + i] - y[(j + 1) * w + i];
                sum += l;
                sumSq += l * l;
                n++;
            }
        }
        double mean = sum / n;
        return sumSq / n - mean * mean;
    }

    private static void writeContactSheet(BufferedImage left, BufferedImage right, Path out) throws Exception {
        BufferedImage sheet = new BufferedImage(left.getWidth() + right.getWidth() + 10,
                Math.max(left.getHeight(), right.getHeight()), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        g.drawImage(left, 0, 0, null);
        g.drawImage(right, left.getWidth() + 10, 0, null);
        g.dispose();
        Files.createDirectories(out.getParent());
        ImageIO.write(sheet, "png", out.toFile());
    }

    private void writeRules(Map<String, String[][]> images) throws Exception {
        ObjectNode root = JSON.createObjectNode().put("modelVersion", "local-test-rules-7");
        ObjectNode byHash = root.putObject("images");
        images.forEach((hash, labels) -> {
            ArrayNode list = byHash.putArray(hash);
            for (String[] l : labels) {
                list.addObject().put("name", l[0]).put("parentName", l[1]).put("confidence", Double.parseDouble(l[2]));
            }
        });
        Files.writeString(rules, root.toPrettyString());
    }

    private void addRule(String hash, String name, String parent, String confidence) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(rules.toFile());
        ((ObjectNode) root.get("images")).putArray(hash).addObject().put("name", name).put("parentName", parent)
                .put("confidence", Double.parseDouble(confidence));
        Files.writeString(rules, root.toPrettyString());
    }

    private void removeRule(String hash) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(rules.toFile());
        ((ObjectNode) root.get("images")).remove(hash);
        Files.writeString(rules, root.toPrettyString());
    }

    private int generatedCount(String id) {
        return edge.wiring().clients().s3().listObjectsV2(b -> b.bucket(GENERATED).prefix(id + "/")).keyCount();
    }

    private byte[] s3Bytes(String bucket, String key) {
        return edge.wiring().clients().s3().getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toBytes())
                .asByteArray();
    }

    private int s3Status(String bucket, String key) {
        try {
            edge.wiring().clients().s3().headObject(b -> b.bucket(bucket).key(key));
            return 200;
        } catch (S3Exception e) {
            return e.statusCode();
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** As the local dev user (the uploader and owner). */
    private HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + path)).GET()
                .header("Authorization", bearer(DevIssuer.USER)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> post(String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + path))
                .header("Authorization", bearer(path.endsWith("/moderation") ? DevIssuer.ADMIN : DevIssuer.USER))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String bearer(String who) throws Exception {
        return edge.issuer().bearer(who);
    }

    private static JsonNode assertProblem(HttpResponse<byte[]> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), () -> new String(r.body()));
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElseThrow());
        return JSON.readTree(r.body());
    }
}
