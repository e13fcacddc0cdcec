package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.edge.access.DevIssuer;
import io.imagescaler.moderation.model.NsfwModel;
import io.imagescaler.moderation.model.RekognitionTaxonomy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.model.DetectModerationLabelsResponse;
import software.amazon.awssdk.services.rekognition.model.RekognitionException;

/**
 * The local Rekognition answering from the classifier (no rules file): through the real SDK client, and
 * end to end through both upload paths. {@code POST /v1/images} hands the model the PNG/JPEG itself,
 * {@code /v1/uploads} a JPEG copy the handler renders; a classifier must give the same verdict for both
 * (a hash rule cannot: the copy's hash differs). The policy here is deliberately strict (anything the
 * model finds 3 % explicit is blurred) so that harmless test images fall on both sides of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModerationModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;
    LocalEdge edge;
    RekognitionClient rekognition;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        edge = LocalEdge.start(0, data, Map.of(
                "MODERATION_MIN_CONFIDENCE", "3",
                "MODERATION_BLOCKED_CATEGORIES", "Explicit",
                "REQUIRE_SIGNED_URLS", "false",
                "SWEEP_INTERVAL_SECONDS", "0"));
        rekognition = edge.wiring().clients().rekognition().orElseThrow();
    }

    @AfterAll
    void stop() {
        if (edge != null) edge.close();
    }

    @Test
    void theProtocolServerAnswersFromTheModelInRekognitionsTerms() {
        byte[] drawing = Fixtures.image("png-16bit-rgba-pngsuite-basn6a16.png");
        DetectModerationLabelsResponse all = detect(drawing, 0);
        assertEquals(NsfwModel.VERSION, all.moderationModelVersion());
        List<String> names = all.moderationLabels().stream().map(l -> l.name() + "<" + l.parentName()).toList();
        assertEquals(List.of(RekognitionTaxonomy.EXPLICIT + "<", RekognitionTaxonomy.EXPLICIT_NUDITY + "<"
                        + RekognitionTaxonomy.EXPLICIT, RekognitionTaxonomy.NON_EXPLICIT + "<",
                RekognitionTaxonomy.NON_EXPLICIT_NUDITY + "<" + RekognitionTaxonomy.NON_EXPLICIT), names,
                "with MinConfidence 0 every label is reported, highest first, each parent before its child");
        all.moderationLabels().forEach(l -> assertTrue(l.confidence() >= 0 && l.confidence() <= 100));
        assertEquals(1, all.moderationLabels().get(0).taxonomyLevel());
        assertEquals(2, all.moderationLabels().get(1).taxonomyLevel());

        DetectModerationLabelsResponse strict = detect(drawing, 50);
        assertEquals(List.of(), strict.moderationLabels(), "a test pattern is not 50 % anything explicit");
        float explicit = all.moderationLabels().get(0).confidence();
        assertEquals(2, detect(drawing, explicit).moderationLabels().size(), "MinConfidence is inclusive");
        assertEquals(0, detect(drawing, Math.nextUp(explicit)).moderationLabels().size());
    }

    /** A figure, not a check: one DetectModerationLabels call through the SDK, median of 10 after warm-up. */
    @Test
    void oneLocalModerationCallTakes() throws Exception {
        for (String name : List.of("png-rgba-dice-800x600.png", "jpeg-cmyk-swop-icc-channel.jpg")) {
            byte[] image = Fixtures.image(name);
            detect(image, 50);
            long[] ms = new long[10];
            for (int i = 0; i < ms.length; i++) {
                long t0 = System.nanoTime();
                detect(image, 50);
                ms[i] = (System.nanoTime() - t0) / 1_000_000;
            }
            Arrays.sort(ms);
            System.out.printf("local DetectModerationLabels %s (%d bytes): median %d ms, min %d ms, load average %s%n",
                    name, image.length, ms[5], ms[0], Files.readString(Path.of("/proc/loadavg")).trim());
        }
    }

    @Test
    void contentTypesSayIllustratedForADrawing() {
        var drawing = detect(Fixtures.image("png-16bit-rgba-pngsuite-basn6a16.png"), 50);
        assertEquals(1, drawing.contentTypes().size(), drawing.toString());
        assertEquals(RekognitionTaxonomy.ILLUSTRATED, drawing.contentTypes().get(0).name());
        assertTrue(drawing.contentTypes().get(0).confidence() > 50, drawing.toString());
        var photo = detect(Fixtures.image("jpeg-tiny-40x60-orient3.jpg"), 50);
        assertEquals(List.of(), photo.contentTypes(), photo.toString());
    }

    @Test
    void badRequestsGetRekognitionsErrors() {
        for (float minConfidence : new float[] {-1, 101}) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(RekognitionException.class,
                    () -> detect(Fixtures.image("png-tiny-16x16.png"), minConfidence));
            assertEquals(400, e.statusCode());
            assertEquals("InvalidParameterException", e.awsErrorDetails().errorCode());
        }
        byte[] png = Fixtures.image("png-rgba-dice-800x600.png");
        var broken = org.junit.jupiter.api.Assertions.assertThrows(RekognitionException.class,
                () -> detect(Arrays.copyOf(png, 3000), 50));     // PNG magic, truncated pixels
        assertEquals(400, broken.statusCode());
        assertEquals("InvalidImageFormatException", broken.awsErrorDetails().errorCode());
    }

    @ParameterizedTest
    @CsvSource({
            // explicit (Porn + Hentai) as the model sees the PNG itself | the handler's JPEG copy:
            "png-tiny-16x16.png, BLURRED",              // 9.2 % | 4.1 % (flattened, JPEG-compressed)
            "jpeg-tiny-40x60-orient3.jpg, BLURRED",     // 7.1 % | 7.1 % (both: the upright copy, EXIF 3 applied)
            "png-rgba-dice-800x600.png, READY",         // 0.6 % | below 3 %
            "jpeg-cmyk-swop-icc-channel.jpg, READY"})   // 1.0 % | below 3 %
    void bothUploadPathsGetTheSameVerdictForTheSamePicture(String name, String expected) throws Exception {
        byte[] image = Fixtures.image(name);
        JsonNode direct = JSON.readTree(post("/v1/images", image).body());
        JsonNode large = uploadInParts(image);
        System.out.printf("%s: POST /v1/images %s %s | /v1/uploads %s %s%n", name, direct.get("status").asText(),
                direct.get("moderation").get("labels"), large.get("status").asText(), large.get("moderation").get("labels"));
        assertEquals(expected, direct.get("status").asText(), direct.toString());
        assertEquals(expected, large.get("status").asText(), large.toString());
        assertEquals(direct.at("/moderation/action").asText(), large.at("/moderation/action").asText());
        assertEquals(NsfwModel.VERSION, direct.at("/moderation/modelVersion").asText());
        assertEquals(NsfwModel.VERSION, large.at("/moderation/modelVersion").asText());
        // the labels' confidences differ (other pixels), and a label near the minimum may be on one side only
        assertEquals(blocked(direct), blocked(large));
    }

    // --- helpers

    private DetectModerationLabelsResponse detect(byte[] image, float minConfidence) {
        return rekognition.detectModerationLabels(b -> b.image(i -> i.bytes(SdkBytes.fromByteArray(image)))
                .minConfidence(minConfidence));
    }

    /** The labels in the blocked category (Explicit), by name. */
    private static List<String> blocked(JsonNode record) {
        List<String> names = new ArrayList<>();
        record.at("/moderation/labels").forEach(l -> {
            if (l.get("name").asText().equals("Explicit") || l.get("parentName").asText().equals("Explicit")) {
                names.add(l.get("name").asText());
            }
        });
        return names;
    }

    private JsonNode uploadInParts(byte[] file) throws Exception {
        var started = post("/v1/uploads", ("{\"bytes\":" + file.length + "}").getBytes());
        assertEquals(201, started.statusCode(), () -> new String(started.body()));
        JsonNode upload = JSON.readTree(started.body());
        String id = upload.get("id").asText();
        long partSize = upload.get("partSize").asLong();
        var body = JSON.createObjectNode();
        var parts = body.putArray("parts");
        for (JsonNode part : upload.get("parts")) {
            int n = part.get("partNumber").asInt();
            int from = (int) ((n - 1) * partSize);
            int to = (int) Math.min(file.length, from + partSize);
            var put = http.send(HttpRequest.newBuilder(URI.create(part.get("url").asText()))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(file, from, to))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, put.statusCode(), put.body());
            parts.addObject().put("partNumber", n).put("etag", put.headers().firstValue("ETag").orElseThrow());
        }
        var completed = post("/v1/uploads/" + id + "/complete", body.toString().getBytes());
        assertEquals(202, completed.statusCode(), () -> new String(completed.body()));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode record = JSON.readTree(get("/v1/images/" + id + "/metadata").body());
            if (!"PROCESSING".equals(record.path("status").asText())) return record;
            if (System.nanoTime() > deadline) throw new AssertionError("still PROCESSING: " + record);
            Thread.sleep(100);
        }
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + path)).GET()
                .header("Authorization", bearer()).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> post(String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + path)).header("Authorization", bearer())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String bearer() throws Exception {
        return edge.issuer().bearer(DevIssuer.USER);
    }
}
