package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.edge.queues.LocalAws;
import io.imagescaler.handler.transform.Limits;
import io.imagescaler.handler.transform.Pipeline;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs end to end through the local edge, as a user and as AWS would run them: the API over HTTP, the jobs queue
 * and its dead-letter queue in moto's SQS, the worker fed by the edge's stand-in for Lambda's event source mapping,
 * the in-process sr-endpoint on CPU, GreenMail over SMTP, the signed processed/* links, and the events on moto's
 * EventBridge bus (read through a rule that copies them to a queue).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LINK = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+/processed/\\S+)");

    @TempDir
    static Path data;
    private LocalEdge edge;
    private String bearer;
    private JobCalls calls;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        // a short visibility timeout, so that a killed worker's message comes back within the test, yet longer than
        // the slow job below takes on a busy 2-core machine (a receive that outlives it is received again)
        edge = LocalEdge.start(0, data, Map.of("LOCAL_JOBS_VISIBILITY_SECONDS", "8", "LOCAL_KAFKA", "false"));
        calls = new JobCalls(edge);
        bearer = calls.bearer();
    }

    @AfterAll
    void stop() {
        if (edge != null) edge.close();
    }

    @Test
    void anSrJobIsDeliveredByEmailWithALinkThatDownloadsTheUpscaledImage() throws Exception {
        Pipeline engine = new Pipeline();
        byte[] dice = Fixtures.image("png-rgba-dice-800x600.png");
        byte[] small = engine.render(dice, engine.probe(dice, Limits.DEFAULT), TransformSpec.parse("w_160"),
                ImageFormat.PNG, Limits.DEFAULT).bytes();
        String image = calls.upload(small);

        HttpResponse<String> submitted = calls.submit(image, "{\"transform\": \"w_640,up_sr.png\", "
                + "\"notify\": {\"email\": \"owner@example.org\"}}", "sr-job-1");
        assertEquals(202, submitted.statusCode(), submitted.body());
        JsonNode job = JSON.readTree(submitted.body());
        assertEquals("QUEUED", job.get("status").asText());
        assertEquals("/v1/jobs/" + job.get("jobId").asText(), submitted.headers().firstValue("Location").orElseThrow());
        // a retried submit with the same Idempotency-Key is the same job
        HttpResponse<String> retried = calls.submit(image, "{\"transform\": \"w_640,up_sr.png\", "
                + "\"notify\": {\"email\": \"owner@example.org\"}}", "sr-job-1");
        assertEquals(job.get("jobId"), JSON.readTree(retried.body()).get("jobId"));
        assertEquals("true", retried.headers().firstValue("Idempotent-Replayed").orElse(""));

        // the models load in the background: a first attempt may fail and be retried by the queue
        JsonNode done = calls.awaitJob(job.get("jobId").asText(), s -> s.equals("DELIVERED") || s.equals("FAILED")
                || s.equals("NOT_DELIVERED"), Duration.ofSeconds(240));
        assertEquals("DELIVERED", done.get("status").asText(), done.toString());
        JsonNode result = done.get("results").get(0);
        assertEquals("sr-x4", result.get("method").asText(), done.toString());
        assertEquals(640, result.get("width").asInt());

        MimeMessage mail = edge.mail().received().stream().filter(m -> recipient(m).equals("owner@example.org"))
                .findFirst().orElseThrow();
        Matcher link = LINK.matcher(mail.getContent().toString());
        assertTrue(link.find(), mail.getContent().toString());
        HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create(link.group(1))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode());
        assertEquals("image/png", download.headers().firstValue("Content-Type").orElseThrow());
        var png = ImageIO.read(new ByteArrayInputStream(download.body()));
        assertEquals(640, png.getWidth());
        assertEquals(480, png.getHeight());
        // the link is signed: the same path without its signature is refused at the edge
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(URI.create(link.group(1).replaceAll("\\?.*", "")))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, unsigned.statusCode());

        assertTrue(calls.awaitEvent(e -> e.path("detail-type").asText().equals("job_delivered")
                && e.path("detail").path("jobId").asText().equals(job.get("jobId").asText())
                && e.path("detail").path("status").asText().equals("DELIVERED")), calls.published.toString());
        JsonNode processed = calls.published.stream().filter(e -> e.path("detail-type").asText().equals("job_processed")
                && e.path("detail").path("jobId").equals(job.get("jobId"))).findFirst().orElseThrow();
        assertEquals("image-scaler", processed.get("source").asText());
        assertEquals(image, processed.path("detail").path("imageId").asText());
    }

    @Test
    void anAddressTheMailServerRejectsEndsNotDeliveredWithTheReason() throws Exception {
        String image = calls.upload(Fixtures.image("jpeg-tiny-40x60-orient3.jpg"));
        HttpResponse<String> submitted = calls.submit(image, "{\"transform\": \"w_20.webp\", "
                + "\"notify\": {\"email\": \"nobody@bounce.invalid\"}}", null);
        assertEquals(202, submitted.statusCode(), submitted.body());
        JsonNode done = calls.awaitJob(JSON.readTree(submitted.body()).get("jobId").asText(),
                s -> !s.equals("QUEUED") && !s.equals("PROCESSING") && !s.equals("PROCESSED"), Duration.ofSeconds(60));
        assertEquals("NOT_DELIVERED", done.get("status").asText(), done.toString());
        assertTrue(done.get("reason").asText().contains("550"), done.toString());
        assertEquals("failed", done.get("deliveries").get(0).get("outcome").asText());
        assertEquals(1, done.get("results").size(), "the work itself was done");
    }

    @Test
    void aWorkerKilledMidJobLosesNothingAndTheJobCompletesOnce() throws Exception {
        String image = calls.upload(Fixtures.image("png-rgba-dice-800x600.png"));
        // slow enough to be caught mid-way: large enlargements with a blur, encoded as PNG
        List<String> transforms = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            transforms.add("w_" + (3000 + i) + ",up_lanczos,blur_8.png");
        }
        HttpResponse<String> submitted = calls.submit(image, JSON.writeValueAsString(Map.of("transforms", transforms)), null);
        assertEquals(202, submitted.statusCode(), submitted.body());
        String jobId = JSON.readTree(submitted.body()).get("jobId").asText();
        calls.awaitJob(jobId, s -> !s.equals("QUEUED"), Duration.ofSeconds(60));

        edge.jobWorkers().kill();        // the invocation holding the message is gone: nothing answers for it
        edge.jobWorkers().start();
        JsonNode done = calls.awaitJob(jobId, s -> s.equals("PROCESSED") || s.equals("FAILED"), Duration.ofSeconds(180));
        assertEquals("PROCESSED", done.get("status").asText(), done.toString());
        assertTrue(done.get("attempts").asInt() >= 2, "the message came back after its visibility timeout: " + done);
        assertEquals(4, done.get("results").size());
        // the killed invocation may still finish in the background (a JVM cannot stop a thread); whichever finishes
        // second finds the job PROCESSED: one job_processed event, and nothing left in either queue
        Thread.sleep(10_000);
        calls.takeEvents();
        assertEquals(1, calls.published.stream().filter(e -> e.path("detail-type").asText().equals("job_processed")
                && e.path("detail").path("jobId").asText().equals(jobId)).count(), calls.published.toString());
        assertEquals(0, edge.aws().depth(LocalAws.JOBS_DLQ));
    }

    @Test
    void anUploadAndADeleteAreAnnouncedOnTheBusForSubscribers() throws Exception {
        String image = calls.upload(Fixtures.image("webp-lossy-alpha-300.webp"));
        assertTrue(calls.awaitEvent(e -> e.path("detail-type").asText().equals("image_moderated")
                && e.path("detail").path("imageId").asText().equals(image)), calls.published.toString());
        JsonNode uploaded = calls.published.stream().filter(e -> e.path("detail-type").asText().equals("image_uploaded")
                && e.path("detail").path("imageId").asText().equals(image)).findFirst().orElseThrow();
        assertEquals("image-scaler", uploaded.get("source").asText());
        assertEquals("sync", uploaded.path("detail").path("via").asText());
        assertEquals("READY", uploaded.path("detail").path("status").asText());
        assertEquals("image/webp", uploaded.path("detail").path("contentType").asText());
        assertEquals("images/" + image, uploaded.path("resources").path(0).asText());
        JsonNode moderated = calls.published.stream().filter(e -> e.path("detail-type").asText().equals("image_moderated")
                && e.path("detail").path("imageId").asText().equals(image)).findFirst().orElseThrow();
        assertEquals("ALLOW", moderated.path("detail").path("action").asText());

        HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images/"
                + image)).header("Authorization", bearer).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, deleted.statusCode());
        assertTrue(calls.awaitEvent(e -> e.path("detail-type").asText().equals("image_deleted")
                && e.path("detail").path("imageId").asText().equals(image)), calls.published.toString());
    }

    @Test
    void badSubmitsAreProblemsAndUnknownJobsAreNotFound() throws Exception {
        String image = calls.upload(Fixtures.image("jpeg-tiny-40x60-orient3.jpg"));
        HttpResponse<String> auto = calls.submit(image, "{\"transform\": \"w_20.auto\"}", null);
        assertEquals(400, auto.statusCode());
        assertEquals("application/problem+json", auto.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(auto.body().contains("must name its format"), auto.body());
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/jobs/"
                + "A".repeat(43))).header("Authorization", bearer).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
        String stranger = "Bearer " + edge.issuer().token("someone-else", List.of(), Instant.now(), Duration.ofHours(1));
        HttpResponse<String> forbidden = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images/"
                        + image + "/jobs")).header("Authorization", stranger)
                .POST(HttpRequest.BodyPublishers.ofString("{\"transform\": \"w_20.png\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, forbidden.statusCode());
    }

    private static String recipient(MimeMessage m) {
        try {
            return m.getAllRecipients()[0].toString();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
