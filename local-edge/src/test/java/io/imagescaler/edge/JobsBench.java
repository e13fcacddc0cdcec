package io.imagescaler.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.handler.transform.Limits;
import io.imagescaler.handler.transform.Pipeline;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Not a test (no timed assertions): the jobs' figures through the local edge, every part real (moto's SQS, the
 * edge's SQS pollers as the event source mapping, the worker, the in-process sr-endpoint on CPU, S3Proxy, DynamoDB
 * Local).
 * <ol>
 *   <li>latency of an SR ×4 job of a 1 MP photo (1152×864 from a real 12 MP JPEG → 4608×3456 JPEG), from
 *       {@code POST /v1/images/{id}/jobs} to the status PROCESSED seen by a poll every 100 ms, {@code runs} times
 *       one after the other;</li>
 *   <li>throughput: {@code jobs} jobs submitted at once, each one derivative of the 12 MP photo
 *       ({@code w_1200.webp}), drained by the edge's two workers: jobs per minute from the first submit to the
 *       last PROCESSED.</li>
 * </ol>
 * Each beside its peer in the same run: the same work as synchronous variant GETs (what the queue costs).
 * <pre>
 * bench/jobs.sh ../shared/testdata/images/jpeg-12mp-galaxys7.jpg [runs=3] [jobs=40]
 * </pre>
 */
public final class JobsBench {
    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Path photo = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int jobs = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        byte[] original = Files.readAllBytes(photo);
        Pipeline engine = new Pipeline();
        var info = engine.probe(original, Limits.DEFAULT);
        byte[] oneMp = engine.render(original, info, TransformSpec.parse("w_1152,h_864,fit_cover"), ImageFormat.JPG,
                Limits.DEFAULT).bytes();
        Path data = Files.createTempDirectory("jobs-bench");
        // SR on CPU takes minutes: the SR call and the message's visibility get the worker's minutes, as on AWS
        try (LocalEdge edge = LocalEdge.start(0, data, Map.of("LOCAL_KAFKA", "false", "SR_TIMEOUT_MS", "900000",
                "LOCAL_JOBS_VISIBILITY_SECONDS", "1800", "LOCAL_JOB_WORKERS", "2"))) {
            JobCalls calls = new JobCalls(edge);
            String small = calls.upload(oneMp);
            String big = calls.upload(original);
            System.out.printf("machine: %d cores, load average %.2f; photo %s (%dx%d), SR input 1152x864%n",
                    Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), photo.getFileName(),
                    info.width(), info.height());
            // warm-up: the models load in the background; an x4 of a thumbnail until the model answers
            String thumb = calls.upload(engine.render(original, info, TransformSpec.parse("w_64"),
                    ImageFormat.JPG, Limits.DEFAULT).bytes());
            for (int i = 0; i < 10; i++) {
                JsonNode w = calls.awaitJob(calls.submit(thumb, "w_256,up_sr.png"), JobsBench::done, WITHIN, POLL);
                if (w.path("results").path(0).path("method").asText().startsWith("sr-")) {
                    break;
                }
            }
            List<Long> latencies = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                JsonNode done = calls.awaitJob(calls.submit(small, "w_4608,up_sr.jpg"), JobsBench::done, WITHIN, POLL);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                latencies.add(ms);
                JsonNode r = done.path("results").path(0);
                System.out.printf("SR x4 job %d: %s in %d ms (%s %dx%d, %d bytes)%n", i + 1, done.get("status").asText(),
                        ms, r.path("method").asText(), r.path("width").asInt(), r.path("height").asInt(),
                        r.path("bytes").asLong());
            }
            latencies.sort(Long::compare);
            System.out.printf("SR x4 of 1 MP, submit to PROCESSED: median %d ms over %d runs (min %d, max %d)%n",
                    latencies.get(latencies.size() / 2), runs, latencies.getFirst(), latencies.getLast());
            // the peer: the same SR as a synchronous variant GET (distinct widths: no cache hit), same edge, same run
            List<Long> direct = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                var r = HTTP.send(HttpRequest.newBuilder(Signed.uri(edge, "/v1/images/" + small + "/w_" + (4607 - i)
                        + ",up_sr.jpg")).build(), HttpResponse.BodyHandlers.discarding());
                direct.add((System.nanoTime() - t0) / 1_000_000);
                if (r.statusCode() != 200 || !r.headers().firstValue("X-Upscale").orElse("").startsWith("sr-")) {
                    throw new IllegalStateException("the synchronous SR peer answered " + r.statusCode() + " " + r.headers());
                }
            }
            direct.sort(Long::compare);
            System.out.printf("peer, the same SR as a synchronous variant GET: median %d ms (min %d, max %d)%n",
                    direct.get(direct.size() / 2), direct.getFirst(), direct.getLast());

            long t0 = System.nanoTime();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                ids.add(calls.submit(big, "w_1200.webp"));
            }
            for (String id : ids) {
                calls.awaitJob(id, JobsBench::done, WITHIN, POLL);
            }
            double minutes = (System.nanoTime() - t0) / 60e9;
            System.out.printf("%d jobs (w_1200.webp of the %dx%d photo) with 2 workers: %.1f s, %.1f jobs/min; "
                            + "load average %.2f%n", jobs, info.width(), info.height(), minutes * 60, jobs / minutes,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            // the peer: the same renders as synchronous variant GETs from two clients (distinct widths: all misses)
            long p0 = System.nanoTime();
            try (var clients = java.util.concurrent.Executors.newFixedThreadPool(2)) {
                List<java.util.concurrent.Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < jobs; i++) {
                    URI variant = Signed.uri(edge, "/v1/images/" + big + "/w_" + (1100 + i) + ".webp");
                    answers.add(clients.submit(() -> HTTP.send(HttpRequest.newBuilder(variant).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode()));
                }
                for (var a : answers) {
                    if (a.get() != 200) {
                        throw new IllegalStateException("the synchronous peer answered " + a.get());
                    }
                }
            }
            double peerMinutes = (System.nanoTime() - p0) / 60e9;
            System.out.printf("peer, %d synchronous variant GETs of the same photo from 2 clients: %.1f s, %.1f "
                    + "renders/min; load average %.2f%n", jobs, peerMinutes * 60, jobs / peerMinutes,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
        // DynamoDB Local leaves a non-daemon scheduler thread behind its shutdown
        System.exit(0);
    }

    private static final Duration WITHIN = Duration.ofMinutes(30);
    private static final Duration POLL = Duration.ofMillis(100);

    private static boolean done(String status) {
        return status.equals("PROCESSED") || status.equals("FAILED");
    }
}
