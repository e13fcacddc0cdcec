package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.edge.access.DevIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many misses at once, over loopback against the in-process edge: 32 concurrent requests for one
 * uncached variant render it once (single flight) and store it once; 64 concurrent distinct misses
 * get 200 or the documented 503 {@code overloaded}, nothing else. Renders are counted as the render events in
 * the local analytics lake (one per render); the printed lines are the README's figures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StampedeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;
    LocalEdge edge;
    String token;
    String id;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        // a small queue, so that 64 distinct misses on 2 render slots do meet a full queue
        edge = LocalEdge.start(0, data, Map.of("REQUIRE_SIGNED_URLS", "false", "TRACING", "off", "LOCAL_SR", "false",
                "RENDER_CONCURRENCY", "2", "RENDER_QUEUE", "16"));
        token = Files.readString(edge.issuer().tokenFile(DevIssuer.USER));
        var r = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.image("png-rgba-dice-800x600.png"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        id = JSON.readTree(r.body()).get("id").asText();
    }

    @AfterAll
    void stop() {
        if (edge != null) edge.close();
    }

    @Test
    void thirtyTwoMissesOfOneVariantRenderOnce() throws Exception {
        long before = generated();
        List<HttpResponse<byte[]>> answers = burst(32, n -> "/v1/images/" + id + "/w_300,blur_2.webp");
        long renders = generated() - before;
        long stored = edge.wiring().clients().s3().listObjectsV2Paginator(b -> b.bucket("image-storage-generated")
                .prefix(id + "/w_300,blur_2.webp")).contents().stream().count();
        Map<Integer, Integer> statuses = statuses(answers);
        System.out.printf("stampede | 32 concurrent misses of one variant: statuses %s, renders %d, stored objects %d, "
                + "distinct ETags %d%n", statuses, renders, stored,
                answers.stream().map(a -> a.headers().firstValue("ETag").orElse("")).distinct().count());
        assertEquals(Map.of(200, 32), statuses);
        assertEquals(1, renders, "one render for 32 concurrent misses");
        assertEquals(1, stored);
        assertEquals(1, answers.stream().map(a -> a.headers().firstValue("ETag").orElse("")).distinct().count());
    }

    @Test
    void sixtyFourDistinctMissesGet200OrTheDocumented503() throws Exception {
        long before = generated();
        List<HttpResponse<byte[]>> answers = burst(64, n -> "/v1/images/" + id + "/w_" + (100 + n) + ".jpg");
        Map<Integer, Integer> statuses = statuses(answers);
        long overloaded = answers.stream().filter(a -> a.statusCode() == 503)
                .filter(a -> new String(a.body()).contains("problems/overloaded"))
                .filter(a -> a.headers().firstValue("Retry-After").isPresent()).count();
        System.out.printf("stampede | 64 concurrent distinct misses (2 render slots, queue 16): statuses %s, renders %d, "
                + "of the 503s %d are 'overloaded' with Retry-After; test JVM (edge in-process) RSS %s, peak %s%n",
                statuses, generated() - before, overloaded, procStatus("VmRSS"), procStatus("VmHWM"));
        assertTrue(statuses.keySet().stream().allMatch(s -> s == 200 || s == 503), statuses.toString());
        assertEquals(statuses.getOrDefault(503, 0).longValue(), overloaded, "every 503 is the documented one");
        assertTrue(statuses.getOrDefault(200, 0) >= 18, "at least slots + queue were served: " + statuses);
    }

    /** Render events in the local lake (one per render), after the queued events were written. */
    private long generated() throws java.io.IOException {
        edge.wiring().usage().events().flush();
        Path lake = data.resolve("lake");
        if (!Files.isDirectory(lake)) {
            return 0;
        }
        try (var files = Files.walk(lake)) {
            long n = 0;
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                n += Files.readAllLines(f).stream().filter(l -> l.contains("\"event_type\":\"render\"")).count();
            }
            return n;
        }
    }

    /** A line of /proc/self/status (Linux), e.g. VmHWM: the peak resident set of this JVM. */
    private static String procStatus(String field) {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith(field + ":"))
                    .map(l -> l.substring(field.length() + 1).trim()).findFirst().orElse("?");
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static Map<Integer, Integer> statuses(List<HttpResponse<byte[]>> answers) {
        Map<Integer, Integer> m = new TreeMap<>();
        answers.forEach(a -> m.merge(a.statusCode(), 1, Integer::sum));
        return m;
    }

    private List<HttpResponse<byte[]>> burst(int n, java.util.function.IntFunction<String> path) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<byte[]>>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            futures.add(pool.submit(() -> {
                go.await();
                return http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + path.apply(k)))
                        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
            }));
        }
        go.countDown();
        List<HttpResponse<byte[]>> answers = new ArrayList<>();
        for (var f : futures) {
            answers.add(f.get(90, TimeUnit.SECONDS));
        }
        pool.shutdown();
        return answers;
    }
}
