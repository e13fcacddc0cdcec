package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.edge.access.DevIssuer;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * kill -9 of the whole local edge (a child JVM: handler, S3Proxy and DynamoDB Local together) in the
 * middle of a burst of uploads with {@code Idempotency-Key}s; then the edge starts again on the same
 * data, the clients retry every upload with its key once the dead claims are stale, and the sweeper
 * runs: every upload ends READY exactly once, no provisional record is ever visible, no object is left
 * without its record and no partial S3Proxy file is listed as a key.
 */
class CrashRecoveryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int UPLOADS = 30;
    private static final Map<String, String> SETTINGS = Map.of("REQUIRE_SIGNED_URLS", "false", "TRACING", "off",
            "LOCAL_SR", "false", "PROVISIONAL_SECONDS", "2", "IDEMPOTENCY_STALE_SECONDS", "3",
            "SWEEP_AFTER_SECONDS", "1", "SWEEP_INTERVAL_SECONDS", "3600", "MODERATION", "off");

    @TempDir
    Path data;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyUploadEndsReadyExactlyOnceAfterAKillMidBurst() throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < UPLOADS; i++) {
            bodies.add(png(i));
        }
        int port = freePort();
        Process child = startChild(port);
        String base = "http://127.0.0.1:" + port;
        String token = Files.readString(data.resolve("dev-issuer").resolve("user.jwt")).trim();

        // The burst: 4 clients at a time; the edge is killed once a third of the uploads were answered.
        AtomicInteger answered = new AtomicInteger();
        Map<Integer, String> acknowledged = new java.util.concurrent.ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> burst = new ArrayList<>();
        for (int i = 0; i < UPLOADS; i++) {
            int n = i;
            burst.add(clients.submit(() -> {
                try {
                    var r = upload(base, token, n, bodies.get(n));
                    if (r.statusCode() == 201) {
                        acknowledged.put(n, JSON.readTree(r.body()).get("id").asText());
                    }
                } catch (Exception e) {
                    // the edge died under this request: the client will retry
                }
                answered.incrementAndGet();
                return null;
            }));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (answered.get() < UPLOADS / 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        child.destroyForcibly().waitFor(20, TimeUnit.SECONDS);   // SIGKILL: no shutdown hook runs
        for (Future<?> f : burst) {
            f.get(60, TimeUnit.SECONDS);
        }
        clients.shutdown();
        int acknowledgedBeforeCrash = acknowledged.size();
        System.out.printf("crash | %d of %d uploads acknowledged before kill -9%n", acknowledgedBeforeCrash, UPLOADS);

        long partialFiles = partialS3ProxyFiles();
        try (LocalEdge edge = LocalEdge.start(0, data, SETTINGS)) {
            assertEquals(0, partialS3ProxyFiles(), "partial files are removed at start");
            List<String> provisional = idsWithStatus(edge, "STORING");
            System.out.printf("crash | after restart: %d provisional (STORING) records; %d partial S3Proxy files "
                    + "were left by the kill and removed at start%n", provisional.size(), partialFiles);
            for (String id : provisional) {
                assertEquals(404, get(edge.baseUrl() + "/v1/images/" + id + "/metadata", token).statusCode(),
                        "a provisional record is invisible");
                assertEquals(404, get(edge.baseUrl() + "/v1/images/" + id + "/w_8.png", token).statusCode());
            }
            Thread.sleep(3500);   // the dead claims go stale (3 s)

            Map<Integer, String> finalIds = new HashMap<>();
            int replayed = 0;
            for (int i = 0; i < UPLOADS; i++) {
                var r = upload(edge.baseUrl(), token, i, bodies.get(i));
                assertEquals(201, r.statusCode(), "retry of upload " + i + ": " + r.body());
                finalIds.put(i, JSON.readTree(r.body()).get("id").asText());
                if (r.headers().firstValue("Idempotent-Replayed").isPresent()) replayed++;
                if (acknowledged.containsKey(i)) {
                    assertEquals(acknowledged.get(i), finalIds.get(i), "an acknowledged upload keeps its id");
                }
            }
            Thread.sleep(1500);   // provisional lifetime (2 s from the crash) and SWEEP_AFTER (1 s) are over
            edge.sweeps().sweepNow();

            Set<String> ready = new HashSet<>(idsWithStatus(edge, "READY"));
            assertEquals(new HashSet<>(finalIds.values()), ready, "every upload READY exactly once, nothing else");
            assertEquals(List.of(), idsWithStatus(edge, "STORING"), "no provisional record left");
            assertEquals(List.of(), idsWithStatus(edge, "FAILED"), "no FAILED debris");
            Set<String> originals = new HashSet<>();
            edge.wiring().clients().s3().listObjectsV2Paginator(b -> b.bucket("image-storage").prefix("originals/"))
                    .contents().forEach(o -> originals.add(o.key().substring("originals/".length())));
            assertEquals(ready, originals, "one original per READY image, no orphan, no partial file as a key");
            System.out.printf("crash | retried %d: %d replayed, %d made again; %d READY, %d originals, 0 orphans%n",
                    UPLOADS, replayed, UPLOADS - replayed, ready.size(), originals.size());
        }
    }

    private long partialS3ProxyFiles() throws Exception {
        try (var files = Files.walk(data.resolve("s3"))) {
            return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> n.matches(".+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")).count();
        }
    }

    private Process startChild(int port) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(javaBin, "-Xmx1g", "-Daws.disableEc2Metadata=true",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--port", Integer.toString(port), "--data", data.toString(), "--trace-port", "0");
        pb.environment().putAll(SETTINGS);
        pb.redirectErrorStream(true);
        Process child = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        String line;
        while ((line = out.readLine()) != null) {
            if (line.contains("local edge ready on")) {
                break;
            }
            if (System.nanoTime() > deadline) {
                child.destroyForcibly();
                throw new IllegalStateException("the child edge did not start in 90 s");
            }
        }
        Thread drain = new Thread(() -> {
            try {
                out.transferTo(java.io.Writer.nullWriter());
            } catch (java.io.IOException ignored) {
                // the child was killed
            }
        });
        drain.setDaemon(true);
        drain.start();
        if (!child.isAlive()) {
            throw new IllegalStateException("the child edge exited: " + child.exitValue());
        }
        return child;
    }

    private HttpResponse<String> upload(String base, String token, int n, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/v1/images"))
                .header("Authorization", "Bearer " + token).header("Idempotency-Key", "crash-" + n)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> idsWithStatus(LocalEdge edge, String status) {
        List<String> ids = new ArrayList<>();
        edge.wiring().clients().dynamo().scanPaginator(b -> b.tableName("image-records")
                        .filterExpression("kind = :k AND #s = :s").expressionAttributeNames(Map.of("#s", "status"))
                        .expressionAttributeValues(Map.of(":k", AttributeValue.fromS("image"),
                                ":s", AttributeValue.fromS(status))))
                .items().forEach(i -> ids.add(i.get("pk").s()));
        return ids;
    }

    /** A distinct 96x96 PNG per upload (noise seeded by n), so every upload is a different image. */
    private static byte[] png(int n) throws Exception {
        BufferedImage img = new BufferedImage(96, 96, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(n);
        for (int y = 0; y < 96; y++) {
            for (int x = 0; x < 96; x++) {
                img.setRGB(x, y, random.nextInt(0xFFFFFF));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
