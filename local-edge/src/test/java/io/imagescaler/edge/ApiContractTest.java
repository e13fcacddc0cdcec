package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi31;
import io.imagescaler.edge.access.DevIssuer;
import io.imagescaler.edge.gateway.ApiDocument;
import io.imagescaler.signer.DevKeyPair;
import io.imagescaler.signer.UrlSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The OpenAPI document against the real edge: every request below is a real HTTP exchange, every answer
 * is checked against the operation's documented response for its status (media type, required headers,
 * body schema through a JSON Schema 2020-12 validator with the OpenAPI 3.1 dialect), and at the end every
 * status the document lists must have been seen. A change to the API that the document does not follow
 * (a new field, a new status, a renamed problem type) fails here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOC = "classpath:" + ApiDocument.RESOURCE.substring(1);
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.metaSchema(OpenApi31.getInstance()).defaultMetaSchemaIri(OpenApi31.getInstance().getIri()));
    private static final SchemaValidatorsConfig STRICT = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true).build();

    @TempDir
    static Path data;
    LocalEdge edge;
    JsonNode doc;
    UrlSigner signer;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final Set<String> seen = new TreeSet<>();
    String userToken;
    String strangerToken;

    @BeforeAll
    void start() throws Exception {
        // Small limits so that each documented status can be reached with the small in-repo fixtures.
        edge = LocalEdge.start(0, data, Map.of("MAX_RESPONSE_BYTES", "100000", "MAX_SYNC_UPLOAD_BYTES", "300000",
                "MAX_OUTPUT_SIDE", "1000"));
        // The edge's dev key pair (created by the edge once signed URLs are enforced; the same files either way).
        signer = UrlSigner.with(DevKeyPair.loadOrCreate(data.resolve("cloudfront-keys"),
                DevKeyPair.DEFAULT_KEY_PAIR_ID).signingKey());
        userToken = Files.readString(edge.issuer().tokenFile(DevIssuer.USER)).strip();
        strangerToken = edge.issuer().token("someone-else", List.of(), Instant.now(), Duration.ofHours(1));
        doc = JSON.readTree(get("/v1/openapi.json", Map.of()).body());
    }

    @AfterAll
    void stop() {
        if (edge != null) edge.close();
    }

    @Test
    void everyDocumentedStatusMatchesWhatTheEdgeAnswers() throws Exception {
        // The served document is the YAML in the repository, as JSON.
        assertEquals(ApiDocument.tree(), doc);
        check("GET", "/v1/openapi.json", get("/v1/openapi.json", Map.of()));

        byte[] dice = Fixtures.image("png-rgba-dice-800x600.png");      // 218 KB: its original is redirected
        byte[] tiny = Fixtures.image("png-tiny-16x16.png");
        HttpResponse<byte[]> created = check("POST", "/v1/images", upload(dice, userToken));
        String big = JSON.readTree(created.body()).get("id").asText();
        String small = JSON.readTree(check("POST", "/v1/images", upload(tiny, userToken)).body()).get("id").asText();
        // An empty body: the handler's 400, unless the edge runs the regional WAF, which blocks a zero length first.
        HttpResponse<byte[]> empty = check("POST", "/v1/images", upload(new byte[0], userToken));
        boolean regionalWaf = empty.statusCode() == 403;
        if (!regionalWaf) {
            expectProblem(empty, "invalid-request");
        }
        expectProblem(check("POST", "/v1/images", upload(tiny, null)), "unauthorized");
        expectProblem(check("POST", "/v1/images", upload(Fixtures.image("gif-animated-earth-44f.gif"), userToken)),
                "payload-too-large");
        expectProblem(check("POST", "/v1/images", upload("<svg xmlns='http://www.w3.org/2000/svg'/>"
                .getBytes(StandardCharsets.UTF_8), userToken)), "unsupported-image");
        expectProblem(check("POST", "/v1/images", upload(Arrays.copyOf(dice, 4000), userToken)), "corrupt-image");

        String meta = "/v1/images/{id}/metadata";
        check("GET", meta, get("/v1/images/" + big + "/metadata", bearer(userToken)));
        expectProblem(check("GET", meta, get("/v1/images/" + big + "/metadata", Map.of())), "unauthorized");
        expectProblem(check("GET", meta, get("/v1/images/" + big + "/metadata", bearer(strangerToken))), "forbidden");
        expectProblem(check("GET", meta, get("/v1/images/" + unknownId() + "/metadata", bearer(userToken))),
                "not-found");

        String variant = "/v1/images/{id}/{variant}";
        HttpResponse<byte[]> rendered = check("GET", variant, get(signed("/v1/images/" + big + "/w_200.webp"), Map.of()));
        assertEquals("Miss, rendered", rendered.headers().firstValue("X-Cache").orElseThrow());
        HttpResponse<byte[]> hit = check("GET", variant, get(signed("/v1/images/" + big + "/w_200.webp"), Map.of()));
        assertEquals("Hit from generated bucket", hit.headers().firstValue("X-Cache").orElseThrow());
        String etag = hit.headers().firstValue("ETag").orElseThrow();
        check("GET", variant, get(signed("/v1/images/" + big + "/w_200.webp"), Map.of("If-None-Match", etag)));
        HttpResponse<byte[]> again = check("GET", variant, get(signed("/v1/images/" + big + "/w_800.png"), Map.of()));
        assertTrue(again.headers().firstValue("Location").orElseThrow().startsWith("/v1/images/" + big + "/w_800.png"));
        expectProblem(check("GET", variant, get(signed("/v1/images/" + big + "/zz_1.png"), Map.of())),
                "invalid-request");
        expectProblem(check("GET", variant, get(signed("/v1/images/" + unknownId() + "/w_200.png"), Map.of())),
                "not-found");
        expectProblem(check("GET", variant, get(signed("/v1/images/" + big + "/w_1200,up_lanczos.png"), Map.of())),
                "limit-exceeded");

        String original = "/v1/images/{id}/original";
        HttpResponse<byte[]> master = check("GET", original, get(signed("/v1/images/" + small + "/original"), Map.of()));
        check("GET", original, get(signed("/v1/images/" + small + "/original"),
                Map.of("If-None-Match", master.headers().firstValue("ETag").orElseThrow())));
        HttpResponse<byte[]> elsewhere = check("GET", original, get(signed("/v1/images/" + big + "/original"), Map.of()));
        assertTrue(elsewhere.headers().firstValue("Location").orElseThrow().startsWith("http://127.0.0.1:"),
                "a presigned URL of the local S3");
        expectProblem(check("GET", original, get(signed("/v1/images/" + unknownId() + "/original"), Map.of())),
                "not-found");

        // Re-moderation (admin): the variant rendered above is purged.
        String admin = Files.readString(edge.issuer().tokenFile(DevIssuer.ADMIN)).strip();
        String moderation = "/v1/images/{id}/moderation";
        JsonNode remoderated = readJson(check("POST", moderation, post("/v1/images/" + big + "/moderation", "",
                admin, Map.of())).body());
        assertTrue(remoderated.get("purgedVariants").asInt() >= 1, remoderated.toString());
        expectProblem(check("POST", moderation, post("/v1/images/" + big + "/moderation", "", null, Map.of())),
                "unauthorized");
        expectProblem(check("POST", moderation, post("/v1/images/" + big + "/moderation", "", userToken,
                Map.of())), "forbidden");
        expectProblem(check("POST", moderation, post("/v1/images/" + unknownId() + "/moderation", "", admin,
                Map.of())), "not-found");

        // Not servable (yet): the record is put back to PROCESSING, as a large upload's record is.
        setStatus(small, "PROCESSING");
        expectProblem(check("GET", original, get(signed("/v1/images/" + small + "/original"), Map.of())), "conflict");
        expectProblem(check("GET", variant, get(signed("/v1/images/" + small + "/w_8.png"), Map.of())), "conflict");
        expectProblem(check("POST", moderation, post("/v1/images/" + small + "/moderation", "", admin, Map.of())),
                "conflict");
        expectProblem(check("POST", JOBS, post("/v1/images/" + small + "/jobs", "{\"transform\":\"w_8.png\"}",
                userToken, Map.of())), "conflict");
        setStatus(small, "READY");

        // Unsigned pixels: refused by the edge once signed URLs are enforced (the edge branch); recorded only then.
        HttpResponse<byte[]> unsigned = get("/v1/images/" + small + "/original", Map.of());
        boolean enforced = unsigned.statusCode() == 403;
        if (enforced) {
            check("GET", original, unsigned);
            check("GET", variant, get("/v1/images/" + small + "/w_8.png", Map.of()));
        } else {
            System.out.println("NOTE: this edge does not require signed URLs; the 403 SignatureRefused responses"
                    + " are not exercised");
        }

        // 405 is answered on any path for a method it does not list.
        HttpResponse<byte[]> wrongMethod = send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images"))
                .GET().build());
        assertEquals(405, wrongMethod.statusCode());
        validate(wrongMethod, doc.at("/components/responses/MethodNotAllowed"), "#/components/responses/MethodNotAllowed");

        largeUploadsAndTheirStatus(tiny);
        usageStatistics();
        jobs(small);

        String image = "/v1/images/{id}";
        expectProblem(check("DELETE", image, delete(small, null)), "unauthorized");
        expectProblem(check("DELETE", image, delete(small, strangerToken)), "forbidden");
        check("DELETE", image, delete(small, userToken));
        expectProblem(check("DELETE", image, delete(small, userToken)), "not-found");

        // Last: S3 refuses every write once the originals bucket is gone.
        var s3 = edge.wiring().clients().s3();
        s3.listObjectsV2(b -> b.bucket("image-storage")).contents()
                .forEach(o -> s3.deleteObject(b -> b.bucket("image-storage").key(o.key())));
        s3.deleteBucket(b -> b.bucket("image-storage"));
        expectProblem(check("POST", "/v1/images", upload(tiny, userToken)), "upstream-failure");
        expectProblem(check("POST", UPLOADS, post("/v1/uploads", "{\"bytes\":1000}", userToken, Map.of())),
                "upstream-failure");
        // ... and SQS refuses a job once its queue is gone: nothing is kept
        edge.aws().sqs().deleteQueue(b -> b.queueUrl(edge.aws().queueUrl(io.imagescaler.edge.queues.LocalAws.JOBS_QUEUE)));
        expectProblem(check("POST", JOBS, post("/v1/images/" + big + "/jobs", "{\"transform\":\"w_8.png\"}",
                userToken, Map.of())), "upstream-failure");

        Set<String> documented = documentedStatuses();
        documented.remove(regionalWaf ? "POST /v1/images 400" : "POST /v1/images 403");
        System.out.println("NOTE: " + (regionalWaf ? "the regional WAF blocks empty uploads; the handler's 400 for"
                + " them is not reachable through this edge" : "the empty upload reached the handler (400); the regional"
                + " WAF's 403 is not exercised"));
        if (!enforced) {
            documented.removeIf(s -> s.endsWith(" 403") && s.startsWith("GET /v1/images/{id}/")
                    && !s.contains("metadata"));
        }
        assertEquals(documented, seen, "every documented status was answered by the edge, and nothing else");
    }

    private static final String JOBS = "/v1/images/{id}/jobs";
    private static final String JOB = "/v1/jobs/{jobId}";

    /** Jobs: submit (and its replay, reuse and refusals), then the job's status until the worker processed it. */
    private void jobs(String image) throws Exception {
        String body = "{\"transforms\":[\"w_8.png\",\"w_4,h_4,fit_cover.webp\"]}";
        HttpResponse<byte[]> accepted = check("POST", JOBS, post("/v1/images/" + image + "/jobs", body, userToken,
                Map.of("Idempotency-Key", "contract-job")));
        assertEquals(202, accepted.statusCode());
        String jobId = readJson(accepted.body()).get("jobId").asText();
        HttpResponse<byte[]> replayed = check("POST", JOBS, post("/v1/images/" + image + "/jobs", body, userToken,
                Map.of("Idempotency-Key", "contract-job")));
        assertEquals(jobId, readJson(replayed.body()).get("jobId").asText());
        expectProblem(check("POST", JOBS, post("/v1/images/" + image + "/jobs", "{\"transform\":\"w_9.png\"}",
                userToken, Map.of("Idempotency-Key", "contract-job"))), "idempotency-key-reused");
        expectProblem(check("POST", JOBS, post("/v1/images/" + image + "/jobs", "{\"transform\":\"w_8.auto\"}",
                userToken, Map.of())), "invalid-request");
        expectProblem(check("POST", JOBS, post("/v1/images/" + image + "/jobs", body, null, Map.of())), "unauthorized");
        expectProblem(check("POST", JOBS, post("/v1/images/" + image + "/jobs", body, strangerToken, Map.of())),
                "forbidden");
        expectProblem(check("POST", JOBS, post("/v1/images/" + unknownId() + "/jobs", body, userToken, Map.of())),
                "not-found");

        expectProblem(check("GET", JOB, get("/v1/jobs/" + jobId, Map.of())), "unauthorized");
        expectProblem(check("GET", JOB, get("/v1/jobs/" + jobId, bearer(strangerToken))), "forbidden");
        expectProblem(check("GET", JOB, get("/v1/jobs/" + unknownId(), bearer(userToken))), "not-found");
        JsonNode job;
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(60);
        do {
            job = readJson(check("GET", JOB, get("/v1/jobs/" + jobId, bearer(userToken))).body());
        } while (!job.get("status").asText().equals("PROCESSED") && java.time.Instant.now().isBefore(deadline)
                && pause());
        assertEquals("PROCESSED", job.get("status").asText(), job.toString());
        assertEquals(2, job.get("results").size());
        assertTrue(job.get("results").get(0).get("url").asText().contains("Signature="), job.toString());
    }

    private static boolean pause() throws InterruptedException {
        Thread.sleep(200);
        return true;
    }

    private static final String UPLOADS = "/v1/uploads";
    private static final String COMPLETE = "/v1/uploads/{id}/complete";

    /**
     * A large upload of a small image, in one part PUT to its presigned S3 URL: start (and its idempotent
     * replay, reuse and refusals), the status while UPLOADING, every refusal of a bad completion, the
     * completion, completing twice, and the status until READY.
     */
    private void largeUploadsAndTheirStatus(byte[] image) throws Exception {
        String start = "{\"bytes\":" + image.length + "}";
        HttpResponse<byte[]> opened = check("POST", UPLOADS, post("/v1/uploads", start, userToken,
                Map.of("Idempotency-Key", "contract-1")));
        assertEquals(201, opened.statusCode());
        JsonNode started = readJson(opened.body());
        String id = started.get("id").asText();
        HttpResponse<byte[]> replayed = check("POST", UPLOADS, post("/v1/uploads", start, userToken,
                Map.of("Idempotency-Key", "contract-1")));
        assertEquals("true", replayed.headers().firstValue("Idempotent-Replayed").orElseThrow());
        assertEquals(id, readJson(replayed.body()).get("id").asText());
        expectProblem(check("POST", UPLOADS, post("/v1/uploads", "{\"bytes\":" + (image.length + 1) + "}",
                userToken, Map.of("Idempotency-Key", "contract-1"))), "idempotency-key-reused");
        expectProblem(check("POST", UPLOADS, post("/v1/uploads", start, null, Map.of())), "unauthorized");
        expectProblem(check("POST", UPLOADS, post("/v1/uploads", "{\"bytes\":0}", userToken, Map.of())),
                "invalid-request");
        expectProblem(check("POST", UPLOADS, post("/v1/uploads", "{\"bytes\":"
                + (io.imagescaler.handler.config.HandlerConfig.DEFAULT_MAX_LARGE_UPLOAD_BYTES + 1) + "}", userToken,
                Map.of())), "payload-too-large");

        String meta = "/v1/images/{id}/metadata";
        JsonNode uploading = readJson(check("GET", meta, get("/v1/images/" + id + "/metadata", bearer(userToken))).body());
        assertEquals("UPLOADING", uploading.get("status").asText());

        JsonNode part = started.get("parts").get(0);
        HttpResponse<byte[]> put = send(HttpRequest.newBuilder(URI.create(part.get("url").asText()))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(image)).build());
        assertEquals(200, put.statusCode(), new String(put.body(), StandardCharsets.UTF_8));
        String etag = put.headers().firstValue("ETag").orElseThrow();
        String path = "/v1/uploads/" + id + "/complete";
        String good = parts(etag);
        // Bad part lists, each a 400 naming what is wrong; the upload stays open after every one.
        for (String bad : List.of("not json", "{\"parts\":[]}", "{\"parts\":\"1\"}", parts(etag, etag),
                "{\"parts\":[{\"partNumber\":2,\"etag\":" + JSON.writeValueAsString(etag) + "}]}",
                "{\"parts\":[{\"partNumber\":1}]}", parts("\"00000000000000000000000000000000\""))) {
            expectProblem(check("POST", COMPLETE, post(path, bad, userToken, Map.of())), "invalid-request");
        }
        expectProblem(check("POST", COMPLETE, post(path, good, null, Map.of())), "unauthorized");
        expectProblem(check("POST", COMPLETE, post(path, good, strangerToken, Map.of())), "forbidden");
        expectProblem(check("POST", COMPLETE, post("/v1/uploads/" + unknownId() + "/complete", good, userToken,
                Map.of())), "not-found");
        expectProblem(check("POST", COMPLETE, post("/v1/uploads/not-an-id/complete", good, userToken, Map.of())),
                "not-found");
        HttpResponse<byte[]> completed = check("POST", COMPLETE, post(path, good, userToken, Map.of()));
        assertEquals(202, completed.statusCode());
        expectProblem(check("POST", COMPLETE, post(path, good, userToken, Map.of())), "conflict");
        // The key's upload is no longer open: a retry under it cannot get part URLs any more.
        expectProblem(check("POST", UPLOADS, post("/v1/uploads", start, userToken,
                Map.of("Idempotency-Key", "contract-1"))), "conflict");

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode record;
        do {
            Thread.sleep(100);
            record = readJson(check("GET", meta, get("/v1/images/" + id + "/metadata", bearer(userToken))).body());
        } while (record.get("status").asText().equals("PROCESSING") && System.nanoTime() < deadline);
        assertEquals("READY", record.get("status").asText(), record.toString());
        assertEquals("image/png", record.get("contentType").asText());
    }

    private static String parts(String... etags) throws Exception {
        var body = JSON.createObjectNode();
        var list = body.putArray("parts");
        for (int i = 0; i < etags.length; i++) {
            list.addObject().put("partNumber", i + 1).put("etag", etags[i]);
        }
        return JSON.writeValueAsString(body);
    }

    /** {@code GET /v1/stats}: JSON and CSV for an admin; the refusals. */
    private void usageStatistics() throws Exception {
        String admin = Files.readString(edge.issuer().tokenFile(DevIssuer.ADMIN)).strip();
        String stats = "/v1/stats";
        JsonNode report = readJson(check("GET", stats, get("/v1/stats", bearer(admin))).body());
        assertEquals(30, report.get("rows").size(), "the last 30 days by default");
        assertTrue(report.at("/totals/uploads").asLong() >= 3, "this test's uploads were counted: " + report);
        HttpResponse<byte[]> csv = check("GET", stats, get("/v1/stats?format=csv&from=2026-01-01&to=2026-01-03",
                bearer(admin)));
        assertTrue(csv.headers().firstValue("Content-Type").orElseThrow().startsWith("text/csv"));
        assertEquals(4, new String(csv.body(), StandardCharsets.UTF_8).split("\r\n").length, "header and 3 days");
        check("GET", stats, get("/v1/stats?groupBy=owner&format=csv", bearer(admin)));
        check("GET", stats, get("/v1/stats?owner=me", bearer(userToken)));
        for (String bad : List.of("?format=xml", "?from=yesterday", "?from=2026-02-01&to=2026-01-01",
                "?from=2020-01-01&to=2026-01-01", "?groupBy=colour", "?pageSize=5000", "?color=red")) {
            expectProblem(check("GET", stats, get("/v1/stats" + bad, bearer(admin))), "invalid-request");
        }
        expectProblem(check("GET", stats, get("/v1/stats", Map.of())), "unauthorized");
        expectProblem(check("GET", stats, get("/v1/stats", bearer(userToken))), "forbidden");
        // a lake file the query engine cannot read: the report fails as a dependency (503), and answers again
        // once the file is gone
        Path partition = data.resolve("lake/events/dt=" + java.time.LocalDate.now(java.time.ZoneOffset.UTC));
        Files.createDirectories(partition);
        Path corrupt = partition.resolve("corrupt.json");
        Files.writeString(corrupt, "{\"event_type\": \"upload\", \"bytes\": \"not a number\"\n");
        expectProblem(check("GET", stats, get("/v1/stats", bearer(admin))), "upstream-failure");
        Files.delete(corrupt);
        check("GET", stats, get("/v1/stats", bearer(admin)));
    }

    /**
     * Checks one real answer against the document and records "METHOD template status" as seen.
     */
    private HttpResponse<byte[]> check(String method, String template, HttpResponse<byte[]> r) {
        String opPointer = "/paths/" + escape(template) + "/" + method.toLowerCase();
        JsonNode op = doc.at(opPointer);
        assertFalse(op.isMissingNode(), method + " " + template + " is not documented");
        String status = Integer.toString(r.statusCode());
        JsonNode response = op.path("responses").path(status);
        String pointer = opPointer + "/responses/" + status;
        if (response.isMissingNode()) {
            fail(method + " " + template + " answered " + status + ", which the document does not list: "
                    + new String(r.body(), StandardCharsets.UTF_8));
        }
        if (response.has("$ref")) {
            pointer = response.get("$ref").asText().substring(1);
            response = doc.at(pointer);
        }
        validate(r, response, "#" + pointer);
        seen.add(method + " " + template + " " + status);
        return r;
    }

    private void validate(HttpResponse<byte[]> r, JsonNode response, String pointer) {
        String where = r.request().method() + " " + r.uri().getPath() + " -> " + r.statusCode();
        // Headers the document marks required, and the schema of every documented header that is present.
        for (Iterator<Map.Entry<String, JsonNode>> it = response.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            JsonNode header = h.getValue().has("$ref") ? doc.at(h.getValue().get("$ref").asText().substring(1))
                    : h.getValue();
            var value = r.headers().firstValue(h.getKey());
            if (header.path("required").asBoolean(false)) {
                assertTrue(value.isPresent(), where + ": header " + h.getKey() + " is required");
            }
            value.ifPresent(v -> assertValid(schemaAt(pointerOf(header, pointer, h.getKey()) + "/schema"),
                    TextNode.valueOf(v), where + " header " + h.getKey()));
        }
        JsonNode content = response.path("content");
        if (content.isMissingNode()) {
            assertEquals(0, r.body().length, where + ": the document says no body");
            return;
        }
        String type = r.headers().firstValue("Content-Type").orElseThrow(() -> new AssertionError(where
                + ": no Content-Type")).split(";")[0].strip();
        String documented = null;
        for (Iterator<String> it = content.fieldNames(); it.hasNext(); ) {
            String candidate = it.next();
            if (candidate.equals(type) || (candidate.endsWith("/*")
                    && type.startsWith(candidate.substring(0, candidate.length() - 1)))) {
                documented = candidate;
            }
        }
        assertTrue(documented != null, where + ": Content-Type " + type + " is not among " + content.properties());
        String schemaPointer = pointer + "/content/" + escape(documented) + "/schema";
        if (type.endsWith("json")) {
            assertValid(schemaAt(schemaPointer), readJson(r.body()), where);
        } else if (type.startsWith("text/")) {
            assertValid(schemaAt(schemaPointer), TextNode.valueOf(new String(r.body(), StandardCharsets.UTF_8)),
                    where);
        } else {
            assertTrue(r.body().length > 0, where + ": an image answer has bytes");
        }
    }

    /** Where a header's object lives: its component when it was a $ref, else under the response. */
    private String pointerOf(JsonNode header, String responsePointer, String name) {
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.at("/components/headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue() == header) {
                return "#/components/headers/" + e.getKey();
            }
        }
        return responsePointer + "/headers/" + escape(name);
    }

    private static JsonSchema schemaAt(String pointer) {
        return SCHEMAS.getSchema(SchemaLocation.of(DOC + pointer), STRICT);
    }

    private static void assertValid(JsonSchema schema, JsonNode value, String where) {
        Set<ValidationMessage> errors = schema.validate(value);
        assertTrue(errors.isEmpty(), where + ": " + errors + " in " + value);
    }

    private static void expectProblem(HttpResponse<byte[]> r, String slug) {
        JsonNode problem = readJson(r.body());
        assertEquals("https://image-scaler.dev/problems/" + slug, problem.path("type").asText(), problem.toString());
    }

    private Set<String> documentedStatuses() {
        Set<String> all = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : List.of("get", "post", "put", "delete", "patch")) {
                path.getValue().path(method).path("responses").fieldNames()
                        .forEachRemaining(s -> all.add(method.toUpperCase() + " " + path.getKey() + " " + s));
            }
        }
        return all;
    }

    private void setStatus(String id, String status) {
        edge.wiring().clients().dynamo().updateItem(b -> b.tableName("image-records")
                .key(Map.of("pk", AttributeValue.fromS(id)))
                .updateExpression("SET #s = :s").expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(status))));
    }

    private String signed(String path) {
        return signer.signCanned(edge.baseUrl() + path, Instant.now().plus(Duration.ofHours(1)))
                .substring(edge.baseUrl().length());
    }

    private static String unknownId() {
        return "A".repeat(43);
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private HttpResponse<byte[]> get(String pathAndQuery, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(edge.baseUrl() + pathAndQuery)).GET();
        headers.forEach(b::header);
        return send(b.build());
    }

    private HttpResponse<byte[]> upload(byte[] body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return send(b.build());
    }

    private HttpResponse<byte[]> post(String path, String json, String token, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(edge.baseUrl() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) b.header("Authorization", "Bearer " + token);
        headers.forEach(b::header);
        return send(b.build());
    }

    private HttpResponse<byte[]> delete(String id, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images/" + id)).DELETE();
        if (token != null) b.header("Authorization", "Bearer " + token);
        return send(b.build());
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode readJson(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
        }
    }

    private static String escape(String pointerToken) {
        return pointerToken.replace("~", "~0").replace("/", "~1");
    }
}
