package io.imagescaler.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.edge.access.DevIssuer;
import io.imagescaler.handler.transform.Limits;
import io.imagescaler.handler.transform.Pipeline;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.lang.management.ManagementFactory;
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
 * <pre>
 * bench/jobs.sh ../shared/testdata/images/jpeg-12mp-galaxys7.jpg [runs=3] [jobs=40]
 * </pre>
 */
public final class JobsBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

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
            String bearer = "Bearer " + Files.readString(edge.issuer().tokenFile(DevIssuer.USER)).strip();
            String small = upload(edge, bearer, oneMp);
            String big = upload(edge, bearer, original);
            System.out.printf("machine: %d cores, load average %.2f; photo %s (%dx%d), SR input 1152x864%n",
                    Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), photo.getFileName(),
                    info.width(), info.height());
            // warm-up: the models load in the background; an x4 of a thumbnail until the model answers
            String thumb = upload(edge, bearer, engine.render(original, info, TransformSpec.parse("w_64"),
                    ImageFormat.JPG, Limits.DEFAULT).bytes());
            for (int i = 0; i < 10; i++) {
                JsonNode w = await(edge, bearer, submit(edge, bearer, thumb, "w_256,up_sr.png"));
                if (w.path("results").path(0).path("method").asText().startsWith("sr-")) {
                    break;
                }
            }
            List<Long> latencies = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                JsonNode done = await(edge, bearer, submit(edge, bearer, small, "w_4608,up_sr.jpg"));
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

            long t0 = System.nanoTime();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                ids.add(submit(edge, bearer, big, "w_1200.webp"));
            }
            for (String id : ids) {
                await(edge, bearer, id);
            }
            double minutes = (System.nanoTime() - t0) / 60e9;
            System.out.printf("%d jobs (w_1200.webp of the %dx%d photo) with 2 workers: %.1f s, %.1f jobs/min; "
                            + "load average %.2f%n", jobs, info.width(), info.height(), minutes * 60, jobs / minutes,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static String upload(LocalEdge edge, String bearer, byte[] image) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images"))
                .header("Authorization", bearer).POST(HttpRequest.BodyPublishers.ofByteArray(image)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("upload: " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).get("id").asText();
    }

    private static String submit(LocalEdge edge, String bearer, String image, String transform) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images/" + image
                        + "/jobs")).header("Authorization", bearer)
                .POST(HttpRequest.BodyPublishers.ofString("{\"transform\":\"" + transform + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("submit: " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body()).get("jobId").asText();
    }

    private static JsonNode await(LocalEdge edge, String bearer, String jobId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/jobs/"
                    + jobId)).header("Authorization", bearer).build(), HttpResponse.BodyHandlers.ofString()).body());
            String status = job.get("status").asText();
            if (status.equals("PROCESSED") || status.equals("FAILED")) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("job " + jobId + " not done in 30 min");
    }
}
