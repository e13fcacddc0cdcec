package io.imagescaler.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the asynchronous flows' tests and bench do as a user of a local edge: upload, submit a job, poll it until it
 * gets somewhere; and what another team's subscriber sees: the events published on the bus.
 */
final class JobCalls {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalEdge edge;
    private final String bearer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Every event taken from the bus's tap so far, in order. */
    final List<JsonNode> published = new ArrayList<>();

    /** Calls as the dev issuer's user. */
    JobCalls(LocalEdge edge) throws java.io.IOException {
        this.edge = edge;
        this.bearer = edge.issuer().bearer(io.imagescaler.edge.access.DevIssuer.USER);
    }

    /** The {@code Authorization} value these calls send. */
    String bearer() {
        return bearer;
    }

    /** {@code POST /v1/images}; the new image's id. */
    String upload(byte[] image) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images"))
                .header("Authorization", bearer).POST(HttpRequest.BodyPublishers.ofByteArray(image)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new AssertionError("upload answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body()).get("id").asText();
    }

    /** {@code POST /v1/images/{id}/jobs} with this body (and an Idempotency-Key unless null); the answer as is. */
    HttpResponse<String> submit(String image, String body, String idempotencyKey) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images/" + image + "/jobs"))
                .header("Authorization", bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A one-transform job; its id (a refusal is an AssertionError). */
    String submit(String image, String transform) throws Exception {
        HttpResponse<String> r = submit(image, "{\"transform\":\"" + transform + "\"}", null);
        if (r.statusCode() != 202) {
            throw new AssertionError("submit answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body()).get("jobId").asText();
    }

    /** Polls {@code GET /v1/jobs/{id}} (every {@code every}) until its status is {@code wanted}. */
    JsonNode awaitJob(String jobId, Predicate<String> wanted, Duration within, Duration every) throws Exception {
        Instant deadline = Instant.now().plus(within);
        JsonNode job;
        do {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/jobs/" + jobId))
                    .header("Authorization", bearer).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new AssertionError("GET /v1/jobs/" + jobId + " answered " + r.statusCode() + ": " + r.body());
            }
            job = JSON.readTree(r.body());
            if (wanted.test(job.get("status").asText())) {
                return job;
            }
            Thread.sleep(every.toMillis());
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("job " + jobId + " did not get there within " + within + ": " + job);
    }

    JsonNode awaitJob(String jobId, Predicate<String> wanted, Duration within) throws Exception {
        return awaitJob(jobId, wanted, within, Duration.ofMillis(200));
    }

    /** Takes events from the bus's tap until one matches (or {@code within} passed); whether one did. */
    boolean awaitEvent(Predicate<JsonNode> match, Duration within) {
        Instant deadline = Instant.now().plus(within);
        while (published.stream().noneMatch(match) && Instant.now().isBefore(deadline)) {
            published.addAll(edge.aws().drainPublishedEvents(Duration.ofSeconds(2)));
        }
        return published.stream().anyMatch(match);
    }

    boolean awaitEvent(Predicate<JsonNode> match) {
        return awaitEvent(match, Duration.ofSeconds(60));
    }

    /** Takes whatever the tap holds now. */
    void takeEvents() {
        published.addAll(edge.aws().drainPublishedEvents(Duration.ofSeconds(2)));
    }
}
