package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large uploads over HTTP: presigned multipart part URLs against S3Proxy, completion, the ObjectCreated
 * event the edge delivers, asynchronous processing, and the sweeper for lost events. The big file is a
 * ~200 MB noise PNG (52 MP; {@code -Dlarge.upload.mb=N} changes it), uploaded through presigned part
 * URLs and processed with a bounded heap.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeUploadTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;
    LocalEdge edge;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        // 60 MP so that the optional >= 200 MB noise image (52 MP) fits the pixel limit.
        edge = LocalEdge.start(0, data, Map.of("MAX_LARGE_UPLOAD_BYTES", Long.toString(400L * 1024 * 1024),
                "MAX_SOURCE_PIXELS", "60000000", "WEBHOOK_SECRET", "test-secret", "WEBHOOK_FIRST_BACKOFF_MS", "100",
                // signed URLs are tested in SignedUrlsAtTheEdgeTest; here they would only add noise
                "REQUIRE_SIGNED_URLS", "false",
                // the sweeper is driven by the tests (sweepNow), and sweeps what is stuck for over 3 seconds
                "SWEEP_INTERVAL_SECONDS", "0", "SWEEP_AFTER_SECONDS", "3"));
    }

    @AfterAll
    void stop() {
        if (edge != null) edge.close();
    }

    /**
     * The documented bound on heap growth while one large upload is processed, whatever its size: the
     * object is streamed to a temporary file, never held in the heap (the old in-heap processing grew
     * by at least the object's size, ~200 MB here). Growth = live data (after each collection) and
     * old-generation peak, not the young generation's garbage between collections (see HeapWatch).
     */
    static final long PROCESSING_HEAP_BOUND_BYTES = 64L * 1024 * 1024;
    private static byte[] big;

    /** The ≥ 200 MB file, made once (52 MP of RGBA noise, which does not compress). */
    static synchronized byte[] big() throws Exception {
        if (big == null) big = noisePng(Integer.getInteger("large.upload.mb", 200));
        return big;
    }

    @Test
    void aMultipartUploadThroughPresignedUrlsEndsReady() throws Exception {
        byte[] file = big();
        long t0 = System.nanoTime();
        JsonNode started = start(file.length);
        String id = started.get("id").asText();
        assertEquals("UPLOADING", started.get("status").asText());
        long partSize = started.get("partSize").asLong();
        assertTrue(partSize >= 8L * 1024 * 1024);
        assertEquals((file.length + partSize - 1) / partSize, started.get("parts").size());

        List<String> etags = putParts(started, file);
        var completed = post("/v1/uploads/" + id + "/complete", completion(etags));
        assertEquals(202, completed.statusCode(), completed.body());
        assertEquals("PROCESSING", JSON.readTree(completed.body()).get("status").asText());

        JsonNode done = awaitProcessed(id);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("large upload of %d bytes in %d parts: ready in %d ms%n", file.length, etags.size(), ms);
        assertEquals("READY", done.get("status").asText(), done.toString());
        assertEquals("image/png", done.get("contentType").asText());
        assertEquals(file.length, done.get("bytes").asLong());
        assertEquals(ModerationTest.sha256(file), done.get("sha256").asText());
        assertEquals("ALLOW", done.get("moderation").get("action").asText());
        var s3 = edge.wiring().clients().s3();
        assertEquals(file.length, s3.headObject(b -> b.bucket("image-storage").key("originals/" + id)).contentLength());
        assertEquals(0, incomingLeft(id));
        var variant = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images/" + id + "/w_100.jpg"))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, variant.statusCode());

        assertProblem(post("/v1/uploads/" + id + "/complete", completion(etags)), 409);   // completing twice

        // analytics: one upload event (multipart, with the object's size) and its verdict, in the local lake
        edge.wiring().usage().events().flush();
        List<JsonNode> events = new java.util.ArrayList<>();
        try (var days = java.nio.file.Files.walk(data.resolve("lake/events"))) {
            for (Path f : days.filter(p -> p.toString().endsWith(".json")).toList()) {
                for (String line : java.nio.file.Files.readAllLines(f)) {
                    JsonNode e = JSON.readTree(line);
                    if (id.equals(e.path("image_id").asText())) events.add(e);
                }
            }
        }
        JsonNode upload = events.stream().filter(e -> e.get("event_type").asText().equals("upload")).findFirst()
                .orElseThrow(() -> new AssertionError("no upload event for " + id + ": " + events));
        assertEquals("multipart", upload.get("source").asText());
        assertEquals(file.length, upload.get("bytes").asLong());
        assertEquals("png", upload.get("format").asText());
        assertEquals(1, events.stream().filter(e -> e.get("event_type").asText().equals("moderation")
                && e.get("verdict").asText().equals("ALLOW")).count(), events.toString());
    }

    @Test
    void processingA200MegabyteUploadKeepsTheHeapBounded() throws Exception {
        byte[] file = big();
        JsonNode started = start(file.length);
        String id = started.get("id").asText();
        List<String> etags = putParts(started, file);
        // Completed through the service, not the endpoint: no event is delivered, so processing runs
        // here, on this thread, where its heap can be measured.
        edge.wiring().uploads().complete(id, parts(etags));

        // The control: the watch does see an object held in the heap (as processing did before).
        HeapWatch control = HeapWatch.sampling(1000);
        byte[] whole;
        try (var in = edge.wiring().clients().s3().getObject(b -> b.bucket("image-storage").key("incoming/" + id))) {
            whole = in.readAllBytes();
        }
        HeapWatch.Growth held = control.stop();
        System.out.printf("control, the object read into the heap: %s%n", held);
        assertEquals(file.length, whole.length);
        assertTrue(held.bytes() >= file.length * 9L / 10, "the watch must see a held object: " + held);
        whole = null;

        HeapWatch watch = HeapWatch.sampling(1000);
        long t0 = System.nanoTime();
        edge.wiring().uploads().process(new io.imagescaler.spec.ImageId(id));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        HeapWatch.Growth growth = watch.stop();
        System.out.printf("processing a %d-byte upload: %s, %d ms%n", file.length, growth, ms);
        System.out.println("heap after collections (ms: MB over baseline):" + watch.timeline);

        JsonNode done = awaitProcessed(id);
        assertEquals("READY", done.get("status").asText(), done.toString());
        assertEquals(ModerationTest.sha256(file), done.get("sha256").asText());
        assertTrue(growth.bytes() < PROCESSING_HEAP_BOUND_BYTES, growth.toString());
    }

    @Test
    void theSweeperFinishesUploadsWhoseCompletionEventWasLost() throws Exception {
        byte[] file = noisePng(9);
        JsonNode lost = start(file.length);
        String lostEvent = lost.get("id").asText();
        List<String> lostEtags = putParts(lost, file);
        JsonNode gone = start(file.length);
        String lostObject = gone.get("id").asText();
        List<String> goneEtags = putParts(gone, file);
        // Completed through the service, as the endpoint does, but no ObjectCreated event is delivered.
        edge.wiring().uploads().complete(lostEvent, parts(lostEtags));
        edge.wiring().uploads().complete(lostObject, parts(goneEtags));
        var s3 = edge.wiring().clients().s3();
        s3.deleteObject(b -> b.bucket("image-storage").key("incoming/" + lostObject));

        // Within SWEEP_AFTER nothing is touched: a live processing may still be on its way.
        edge.sweeps().sweepNow();
        assertEquals("PROCESSING", metadata(lostEvent).get("status").asText());
        Thread.sleep(4100);   // past SWEEP_AFTER (3 s; S3's Last-Modified has whole seconds)
        edge.sweeps().sweepNow();

        JsonNode done = metadata(lostEvent);
        assertEquals("READY", done.get("status").asText(), done.toString());
        assertEquals(ModerationTest.sha256(file), done.get("sha256").asText());
        assertEquals(file.length, s3.headObject(b -> b.bucket("image-storage").key("originals/" + lostEvent))
                .contentLength());
        JsonNode failed = metadata(lostObject);
        assertEquals("FAILED", failed.get("status").asText(), failed.toString());
        assertEquals("the uploaded object was lost before it was processed", failed.get("statusReason").asText());
    }

    private static List<io.imagescaler.handler.storage.Incoming.Part> parts(List<String> etags) {
        List<io.imagescaler.handler.storage.Incoming.Part> parts = new ArrayList<>();
        for (int i = 0; i < etags.size(); i++) parts.add(new io.imagescaler.handler.storage.Incoming.Part(i + 1, etags.get(i)));
        return parts;
    }

    private JsonNode metadata(String id) throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images/" + id + "/metadata"))
                .header("Authorization", bearer()).GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    @Test
    void a280MegapixelJpegIsProcessedAndServed() throws Exception {
        Path huge = sharedTestdata().resolve("bad/jpeg-20000x14000-grey-sharp.jpg");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isRegularFile(huge), "../shared absent");
        byte[] file = java.nio.file.Files.readAllBytes(huge);
        JsonNode started = start(file.length);
        String id = started.get("id").asText();
        assertEquals(202, post("/v1/uploads/" + id + "/complete", completion(putParts(started, file))).statusCode());
        JsonNode done = awaitProcessed(id);
        assertEquals("READY", done.get("status").asText(), done.toString());
        assertEquals(20000, done.get("width").asInt());
        assertEquals(14000, done.get("height").asInt());
        var variant = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images/" + id + "/w_800.jpg"))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, variant.statusCode());
        BufferedImage img = ImageIO.read(new java.io.ByteArrayInputStream(variant.body()));
        assertEquals(800, img.getWidth());
        assertEquals(560, img.getHeight());
    }

    @Test
    void badPartListsUnknownUploadsAndBadSizesAreClear4xx() throws Exception {
        byte[] file = noisePng(9);
        JsonNode started = start(file.length);
        String id = started.get("id").asText();
        List<String> etags = putParts(started, file);

        assertProblem(post("/v1/uploads/" + id + "/complete", "{\"parts\":[]}"), 400);
        assertProblem(post("/v1/uploads/" + id + "/complete", "not json"), 400);
        assertProblem(post("/v1/uploads/" + id + "/complete", completion(etags.subList(0, 1))), 400);
        List<String> swapped = new ArrayList<>(etags);
        java.util.Collections.reverse(swapped);
        ObjectNode reordered = JSON.createObjectNode();
        var list = reordered.putArray("parts");
        list.addObject().put("partNumber", 2).put("etag", swapped.get(0));
        list.addObject().put("partNumber", 1).put("etag", swapped.get(1));
        assertProblem(post("/v1/uploads/" + id + "/complete", reordered.toString()), 400);
        assertProblem(post("/v1/uploads/" + id + "/complete", completion(List.of("\"0\"", "\"1\""))), 400);
        assertProblem(post("/v1/uploads/" + "C".repeat(43) + "/complete", completion(etags)), 404);
        assertProblem(post("/v1/uploads/nope/complete", completion(etags)), 404);
        assertProblem(post("/v1/uploads", "{\"bytes\":0}"), 400);
        assertProblem(post("/v1/uploads", "{\"bytes\":" + (401L * 1024 * 1024) + "}"), 413);

        // After all that the right list still completes.
        assertEquals(202, post("/v1/uploads/" + id + "/complete", completion(etags)).statusCode());
        assertEquals("READY", awaitProcessed(id).get("status").asText());
    }

    @Test
    void aLargeUploadThatIsNotAnImageEndsFailedAndTheUploaderIsToldByWebhookAndEmail() throws Exception {
        List<Map<String, String>> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hook.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            calls.add(Map.of("body", body,
                    "signature", exchange.getRequestHeaders().getFirst("X-ImageScaler-Signature"),
                    "event", exchange.getRequestHeaders().getFirst("X-ImageScaler-Event")));
            exchange.sendResponseHeaders(calls.size() == 1 ? 503 : 204, -1);   // the first attempt fails
            exchange.close();
        });
        hook.start();
        try {
            byte[] junk = new byte[9 * 1024 * 1024];
            new Random(7).nextBytes(junk);
            String webhook = "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook";
            assertProblem(post("/v1/uploads", "{\"bytes\":" + junk.length + ",\"webhook\":\"ftp://x/y\"}"), 400);
            assertProblem(post("/v1/uploads", "{\"bytes\":" + junk.length + ",\"email\":\"not an address\"}"), 400);
            var r = post("/v1/uploads", "{\"bytes\":" + junk.length + ",\"webhook\":\"" + webhook
                    + "\",\"email\":\"owner@example.org\"}");
            assertEquals(201, r.statusCode(), r.body());
            JsonNode started = JSON.readTree(r.body());
            String id = started.get("id").asText();
            assertEquals(202, post("/v1/uploads/" + id + "/complete", completion(putParts(started, junk))).statusCode());
            JsonNode done = awaitProcessed(id);
            assertEquals("FAILED", done.get("status").asText());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (calls.size() < 2 && System.nanoTime() < deadline) Thread.sleep(50);
            assertEquals(2, calls.size(), "one failed attempt, one retry");
            Map<String, String> call = calls.get(1);
            JsonNode event = JSON.readTree(call.get("body"));
            assertEquals("image.processed", event.get("event").asText());
            assertEquals("image.processed", call.get("event"));
            assertEquals(id, event.get("id").asText());
            assertEquals("FAILED", event.get("status").asText());
            String[] sig = call.get("signature").split(",");
            String t = sig[0].substring(2);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("test-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String expected = HexFormat.of().formatHex(mac.doFinal((t + "." + call.get("body"))
                    .getBytes(StandardCharsets.UTF_8)));
            assertEquals("v1=" + expected, sig[1], "HMAC-SHA256 over <t>.<body> with the shared secret");

            // The email went over SMTP to the edge's mail server.
            while (edge.mail().received().isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
            assertEquals(1, edge.mail().received().size());
            var mail = edge.mail().received().getFirst();
            assertEquals("owner@example.org", mail.getAllRecipients()[0].toString());
            assertEquals("image-scaler: your upload is FAILED", mail.getSubject());
            String text = mail.getContent().toString();
            assertTrue(text.contains(id) && text.contains("Reason: Unsupported image type"), text);
        } finally {
            hook.stop(0);
        }
    }

    @Test
    void aLargeUploadThatIsNotAnImageEndsFailed() throws Exception {
        byte[] junk = new byte[9 * 1024 * 1024];
        new Random(7).nextBytes(junk);
        JsonNode started = start(junk.length);
        String id = started.get("id").asText();
        assertEquals(202, post("/v1/uploads/" + id + "/complete", completion(putParts(started, junk))).statusCode());
        JsonNode done = awaitProcessed(id);
        assertEquals("FAILED", done.get("status").asText());
        assertTrue(done.get("statusReason").asText().startsWith("Unsupported image type"), done.toString());
        assertEquals(0, incomingLeft(id), "the junk is deleted");
        assertEquals(409, http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images/" + id
                + "/w_10.png")).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void aRetriedStartWithTheSameKeyGetsTheSameUpload() throws Exception {
        String body = "{\"bytes\":" + (20L * 1024 * 1024) + "}";
        var first = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/uploads"))
                .header("Authorization", bearer()).header("Idempotency-Key", "upload-1").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, first.statusCode(), first.body());
        var retry = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/uploads"))
                .header("Authorization", bearer()).header("Idempotency-Key", "upload-1").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, retry.statusCode(), retry.body());
        assertEquals("true", retry.headers().firstValue("Idempotent-Replayed").orElseThrow());
        JsonNode a = JSON.readTree(first.body());
        JsonNode b = JSON.readTree(retry.body());
        assertEquals(a.get("id"), b.get("id"));
        assertEquals(a.get("uploadId"), b.get("uploadId"));
        assertEquals(a.get("parts").size(), b.get("parts").size());
        var other = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/uploads"))
                .header("Authorization", bearer()).header("Idempotency-Key", "upload-1").POST(HttpRequest.BodyPublishers.ofString("{\"bytes\":5}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertProblem(other, 422);
    }

    /**
     * A web page on another origin PUTs parts straight to the local S3, as to S3 on AWS: the preflight is
     * answered for a loopback origin (UPLOAD_CORS_ORIGINS' default), the part's answer exposes its ETag,
     * and an origin outside the rule is refused.
     */
    @Test
    void browserPagesOnAllowedOriginsMayPutPartsAndReadTheirEtag() throws Exception {
        JsonNode started = start(1000);
        URI part = URI.create(started.get("parts").get(0).get("url").asText());
        String page = "http://127.0.0.1:8090";
        var preflight = http.send(HttpRequest.newBuilder(part).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", page).header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "content-type").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, preflight.statusCode(), preflight.body());
        assertEquals(page, preflight.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow().contains("PUT"));

        var put = http.send(HttpRequest.newBuilder(part).header("Origin", page)
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[1000])).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, put.statusCode(), put.body());
        assertEquals(page, put.headers().firstValue("Access-Control-Allow-Origin").orElseThrow());
        assertTrue(put.headers().firstValue("Access-Control-Expose-Headers").orElseThrow().contains("ETag"),
                put.headers().map().toString());
        assertTrue(put.headers().firstValue("ETag").isPresent());

        var elsewhere = http.send(HttpRequest.newBuilder(part).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "PUT").build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(elsewhere.headers().firstValue("Access-Control-Allow-Origin").isEmpty(),
                elsewhere.statusCode() + " " + elsewhere.headers().map());
        var get = http.send(HttpRequest.newBuilder(part).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", page).header("Access-Control-Request-Method", "DELETE").build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(get.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), "only PUT: " + get.statusCode());
    }

    /** $IMAGE_SCALER_SHARED_TESTDATA, else the first shared/testdata above the working directory. */
    static Path sharedTestdata() {
        String override = System.getenv("IMAGE_SCALER_SHARED_TESTDATA");
        if (override != null) return Path.of(override);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (java.nio.file.Files.isDirectory(p.resolve("shared/testdata"))) return p.resolve("shared/testdata");
        }
        return Path.of("/nonexistent");
    }

    private JsonNode start(long bytes) throws Exception {
        var r = post("/v1/uploads", "{\"bytes\":" + bytes + "}");
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private List<String> putParts(JsonNode started, byte[] file) throws Exception {
        long partSize = started.get("partSize").asLong();
        List<String> etags = new ArrayList<>();
        for (JsonNode part : started.get("parts")) {
            int n = part.get("partNumber").asInt();
            int from = (int) ((n - 1) * partSize);
            int to = (int) Math.min(file.length, from + partSize);
            URI url = URI.create(part.get("url").asText());
            assertEquals("127.0.0.1", url.getHost(), "presigned against the local S3");
            var r = http.send(HttpRequest.newBuilder(url)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOfRange(file, from, to))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            etags.add(r.headers().firstValue("ETag").orElseThrow());
        }
        return etags;
    }

    private static String completion(List<String> etags) {
        ObjectNode body = JSON.createObjectNode();
        var parts = body.putArray("parts");
        for (int i = 0; i < etags.size(); i++) {
            parts.addObject().put("partNumber", i + 1).put("etag", etags.get(i));
        }
        return body.toString();
    }

    private JsonNode awaitProcessed(String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            var r = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images/" + id + "/metadata"))
                    .header("Authorization", bearer()).GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode record = JSON.readTree(r.body());
            if (!"PROCESSING".equals(record.path("status").asText())) return record;
            if (System.nanoTime() > deadline) throw new AssertionError("still PROCESSING: " + record);
            Thread.sleep(100);
        }
    }

    /** As the local dev user. */
    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + path)).header("Authorization", bearer())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String bearer() throws Exception {
        return "Bearer " + java.nio.file.Files.readString(edge.issuer().tokenFile(
                io.imagescaler.edge.access.DevIssuer.USER));
    }

    private static void assertProblem(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElseThrow());
    }

    /**
     * An RGBA noise PNG of about {@code mb} MiB. Noise does not compress, so the rows are stored (zlib
     * level 0): written in a second or two, where ImageIO's encoder spent ~20 s deflating 200 MB of noise.
     */
    static byte[] noisePng(int mb) throws Exception {
        int side = (int) Math.sqrt(mb * 1024.0 * 1024 / 4);
        ByteArrayOutputStream png = new ByteArrayOutputStream(mb * 1024 * 1024 + (1 << 20));
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(side).putInt(side)
                .put((byte) 8).put((byte) 6).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(png, "IHDR", ihdr.array());
        ByteArrayOutputStream idat = new ByteArrayOutputStream(side * (side * 4 + 1) + (1 << 20));
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(java.util.zip.Deflater.NO_COMPRESSION);
        try (var z = new java.util.zip.DeflaterOutputStream(idat, deflater, 1 << 16)) {
            Random random = new Random(mb);
            byte[] row = new byte[side * 4 + 1];   // filter byte 0 (none), then RGBA
            for (int y = 0; y < side; y++) {
                random.nextBytes(row);
                row[0] = 0;
                z.write(row);
            }
        } finally {
            deflater.end();
        }
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        out.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /**
     * Objects left under {@code incoming/{id}}, once the processing had up to 10 s to delete them: the object goes
     * right after the record is final (never before: a processing that dies is redone from it), and the outcome's
     * event is published between the two.
     */
    private long incomingLeft(String id) throws InterruptedException {
        var s3 = edge.wiring().clients().s3();
        long until = System.nanoTime() + 10_000_000_000L;
        int left;
        while ((left = s3.listObjectsV2(b -> b.bucket("image-storage").prefix("incoming/" + id)).keyCount()) > 0
                && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        return left;
    }
}
