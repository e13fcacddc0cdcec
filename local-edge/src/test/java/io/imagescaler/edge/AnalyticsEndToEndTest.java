package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.edge.access.DevIssuer;
import io.imagescaler.edge.analytics.DuckDbUsageQueries;
import io.imagescaler.handler.analytics.GroupBy;
import io.imagescaler.handler.analytics.Metric;
import io.imagescaler.handler.analytics.UsageSql;
import io.imagescaler.handler.transform.Limits;
import io.imagescaler.handler.transform.Pipeline;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded run through the local edge: three owners upload mixed formats (one image flagged), render
 * variants (one by super-resolution) and delete one image. The same numbers must come out of
 * {@code GET /v1/stats} (DuckDB in the edge), out of the README's SQL run by DuckDB against the lake's
 * files, and out of this test's own tally of what it did.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalyticsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;
    LocalEdge edge;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final LocalDate today = LocalDate.now(ZoneOffset.UTC);
    /** What the test did, per owner: the expected report rows (groupBy=owner). */
    final Map<String, Map<Metric, Long>> byOwner = new LinkedHashMap<>();
    final Map<String, Map<Metric, Long>> byFormat = new LinkedHashMap<>();
    final Map<String, Map<Metric, Long>> byType = new LinkedHashMap<>();

    @BeforeAll
    void seed() throws Exception {
        Path rules = data.resolve("rules.json");
        Files.writeString(rules, "{\"images\":{\"" + ModerationTest.sha256(Fixtures.image("png-rgba-dice-800x600.png"))
                + "\":[{\"name\":\"Violence\",\"parentName\":\"\",\"confidence\":90}]}}");
        edge = LocalEdge.start(0, data, Map.of("MODERATION_RULES", rules.toString(), "REQUIRE_SIGNED_URLS", "false"));

        String alice = upload("alice", "png-tiny-16x16.png", Fixtures.image("png-tiny-16x16.png"), false);
        String aliceJpeg = upload("alice", "jpeg-tiny-40x60-orient3.jpg", Fixtures.image("jpeg-tiny-40x60-orient3.jpg"), false);
        render("alice", alice, "w_8.png", "png", "image/png");
        render("alice", alice, "w_8.png", null, null);   // a bucket hit: not an event
        render("alice", alice, "w_8.webp", "webp", "image/png");
        render("alice", aliceJpeg, "w_20.jpg", "jpg", "image/jpeg");

        String bobWebp = upload("bob", "webp-lossy-alpha-300.webp", Fixtures.image("webp-lossy-alpha-300.webp"), false);
        upload("bob", "png-rgba-dice-800x600.png", Fixtures.image("png-rgba-dice-800x600.png"), true);
        render("bob", bobWebp, "h_50.png", "png", "image/webp");
        var deleted = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images/" + bobWebp))
                .DELETE().header("Authorization", bearer("bob")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, deleted.statusCode(), deleted.body());
        add("bob", "webp", "image/webp", Metric.DELETES, 1);

        // carol: a small PNG enlarged by the SR endpoint (its models load in the background: until then the
        // handler answers with its Lanczos fallback, which is neither stored nor an event)
        Pipeline engine = new Pipeline();
        byte[] dice = Fixtures.image("png-rgba-dice-800x600.png");
        byte[] small = engine.render(dice, engine.probe(dice, Limits.DEFAULT), TransformSpec.parse("w_160"),
                ImageFormat.PNG, Limits.DEFAULT).bytes();
        String carol = upload("carol", "small.png", small, false);
        HttpResponse<byte[]> sr;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        do {
            sr = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images/" + carol + "/w_320,up_sr.png"))
                    .header("Authorization", bearer("carol")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, sr.statusCode());
        } while (!sr.headers().firstValue("X-Upscale").orElse("").startsWith("sr-") && Instant.now().isBefore(deadline)
                && pause());
        assertTrue(sr.headers().firstValue("X-Upscale").orElse("").startsWith("sr-"), sr.headers().toString());
        add("carol", "png", "image/png", Metric.VARIANTS, 1);
        add("carol", "png", "image/png", Metric.SR_CALLS, 1);
        // What a BI tool reads is what reached the files: the edge's queue is written every second.
        edge.wiring().usage().events().flush();
    }

    @AfterAll
    void stop() {
        if (edge != null) edge.close();
    }

    @Test
    void statsByOwnerTypeAndFormatAreWhatTheRunDid() throws Exception {
        assertEquals(expectedWithoutSrMs(byOwner), actualWithoutSrMs(stats("groupBy=owner"), "owner"));
        assertEquals(expectedWithoutSrMs(byFormat), actualWithoutSrMs(stats("groupBy=format"), "format"));
        assertEquals(expectedWithoutSrMs(byType), actualWithoutSrMs(stats("groupBy=type"), "type"));
        JsonNode day = stats("groupBy=day&from=" + today.minusDays(6) + "&to=" + today);
        assertEquals(7, day.get("rows").size(), "every day of the period, quiet ones as zeros");
        JsonNode totals = day.get("totals");
        assertEquals(5, totals.get("uploads").asLong());
        assertEquals(1, totals.get("flagged").asLong());
        assertEquals(5, totals.get("variants").asLong());
        assertEquals(1, totals.get("srCalls").asLong());
        assertTrue(totals.get("srMs").asLong() > 0, "time in the SR endpoint is recorded: " + totals);
        assertEquals(1, totals.get("deletes").asLong());
        assertEquals(totals, ((com.fasterxml.jackson.databind.node.ObjectNode) day.get("rows").get(6).deepCopy()).without("day"), "all of it happened today");
        // top customer first: alice and bob uploaded 2 each (alice rendered more), carol 1
        JsonNode owners = stats("groupBy=owner").get("rows");
        assertEquals(List.of("alice", "bob", "carol"), List.of(owners.get(0).get("owner").asText(),
                owners.get(1).get("owner").asText(), owners.get(2).get("owner").asText()));
    }

    @Test
    void theReadmeQueriesAreTheShippedOnesAndGiveTheSameRowsInDuckDb() throws Exception {
        Map<String, String> readme = readmeQueries();
        assertEquals(List.of("day", "owner", "type", "format"), List.copyOf(readme.keySet()));
        UsageSql shipped = UsageSql.load();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement s = duck.createStatement()) {
            s.execute(DuckDbUsageQueries.viewOver(data.resolve("lake/events")));
            for (GroupBy g : GroupBy.values()) {
                String text = readme.get(g.key());
                assertEquals(shipped.template(g), text, "README block '" + g.key() + "' is the shipped query");
                for (Optional<String> owner : List.of(Optional.<String>empty(), Optional.of("bob"))) {
                    List<Map<String, Object>> fromReadme = new ArrayList<>();
                    try (ResultSet r = s.executeQuery(UsageSql.bind(text, today.minusDays(1), today, owner))) {
                        while (r.next()) {
                            Map<String, Object> row = new LinkedHashMap<>();
                            row.put(g.key(), r.getString(1));
                            for (Metric m : Metric.values()) row.put(m.field(), r.getLong(m.column()));
                            fromReadme.add(row);
                        }
                    }
                    JsonNode api = stats("groupBy=" + g.key() + "&from=" + today.minusDays(1) + "&to=" + today
                            + owner.map(o -> "&owner=" + o).orElse(""));
                    List<Map<String, Object>> fromApi = new ArrayList<>();
                    for (JsonNode row : api.get("rows")) {
                        Map<String, Object> m = JSON.convertValue(row, JSON.getTypeFactory()
                                .constructMapType(LinkedHashMap.class, String.class, Object.class));
                        m.replaceAll((k, v) -> v instanceof Number n ? n.longValue() : v);
                        // the API fills quiet days with zeros; the SQL has no row for them
                        boolean quiet = java.util.Arrays.stream(Metric.values())
                                .allMatch(metric -> row.get(metric.field()).asLong() == 0);
                        if (g != GroupBy.DAY || !quiet) fromApi.add(m);
                    }
                    assertEquals(fromReadme, fromApi, g.key() + " " + owner);
                    assertFalse(fromReadme.isEmpty());
                }
            }
        }
    }

    @Test
    void anOwnerSeesOnlyTheirOwnRowsAndNobodyElses() throws Exception {
        JsonNode mine = JSON.readTree(get("/v1/stats?owner=me&groupBy=owner", bearer("bob")).body());
        assertEquals("bob", mine.get("owner").asText());
        assertEquals(1, mine.get("rows").size());
        assertEquals(2, mine.at("/totals/uploads").asLong());
        assertEquals(1, mine.at("/totals/flagged").asLong());
        assertEquals(403, get("/v1/stats?owner=alice", bearer("bob")).statusCode());
        assertEquals(403, get("/v1/stats", bearer("bob")).statusCode());
        assertEquals(401, get("/v1/stats?owner=me", null).statusCode());
    }

    @Test
    void badQuestionsAre400WithAClearDetail() throws Exception {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("from=2026-03-02&to=2026-03-01", "from (2026-03-02) is after to (2026-03-01)");
        cases.put("groupBy=colour", "groupBy must be one of day, owner, type, format, got 'colour'");
        cases.put("from=2016-01-01&to=2025-12-31", "at most 366 days");
        cases.put("from=yesterday", "from must be an ISO date");
        cases.put("format=xlsx", "format must be json or csv");
        cases.put("pageSize=5000", "pageSize must be a whole number from 1 to 1000");
        cases.put("colour=red", "unknown parameter 'colour'");
        for (var c : cases.entrySet()) {
            var r = get("/v1/stats?" + c.getKey(), bearer(DevIssuer.ADMIN));
            assertEquals(400, r.statusCode(), c.getKey() + ": " + r.body());
            assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(JSON.readTree(r.body()).get("detail").asText().contains(c.getValue()), r.body());
        }
    }

    @Test
    void csvAndPagingCarryTheSameRows() throws Exception {
        var csv = get("/v1/stats?groupBy=owner&format=csv", bearer(DevIssuer.ADMIN));
        assertEquals(200, csv.statusCode());
        String[] lines = csv.body().split("\r\n");
        assertEquals("owner,uploads,bytes,flagged,variants,sr_calls,sr_ms,deletes", lines[0]);
        assertEquals(4, lines.length);
        assertTrue(lines[1].startsWith("alice,2,"), lines[1]);
        var first = JSON.readTree(get("/v1/stats?groupBy=owner&pageSize=2", bearer(DevIssuer.ADMIN)).body());
        assertEquals(2, first.get("rows").size());
        assertEquals(3, first.get("totalRows").asInt());
        String next = first.get("next").asText();
        var second = JSON.readTree(get(next, bearer(DevIssuer.ADMIN)).body());
        assertEquals("carol", second.get("rows").get(0).get("owner").asText());
        assertTrue(second.get("next").isNull());
        assertEquals(first.get("totals"), second.get("totals"), "totals are over every page");
    }

    @Test
    void theLakeIsPartitionedByDayAsJsonLines() throws Exception {
        Path partition = data.resolve("lake/events/dt=" + today);
        assertTrue(Files.isDirectory(partition));
        long lines = 0;
        long bytes = 0;
        try (Stream<Path> files = Files.list(partition)) {
            for (Path f : files.toList()) {
                assertTrue(f.getFileName().toString().endsWith(".json"), f.toString());
                for (String line : Files.readAllLines(f)) {
                    JsonNode e = JSON.readTree(line);
                    assertTrue(e.get("event_time").asText().startsWith(today.toString()));
                    lines++;
                    bytes += line.length() + 1;
                }
            }
        }
        // 5 uploads + 5 verdicts + 5 renders + 1 sr + 1 delete
        assertEquals(17, lines);
        System.out.printf("analytics lake: %d events, %.0f bytes per event on average%n", lines, (double) bytes / lines);
    }

    // ---- the run -------------------------------------------------------------------------------------

    private String upload(String owner, String name, byte[] body, boolean flagged) throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images"))
                .header("Authorization", bearer(owner)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        JsonNode record = JSON.readTree(r.body());
        String type = record.get("contentType").asText();
        String format = switch (type) {
            case "image/jpeg" -> "jpg";
            default -> type.substring("image/".length());
        };
        add(owner, format, type, Metric.UPLOADS, 1);
        add(owner, format, type, Metric.BYTES, body.length);
        if (flagged) add(owner, format, type, Metric.FLAGGED, 1);
        assertEquals(flagged ? "BLURRED" : "READY", record.get("status").asText());
        return record.get("id").asText();
    }

    /** @param format the output format when this is a miss (an event), null for an expected hit */
    private void render(String owner, String id, String segment, String format, String originalType) throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images/" + id + "/" + segment))
                .header("Authorization", bearer(owner)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        boolean hit = r.headers().firstValue("X-Cache").orElse("").startsWith("Hit");
        assertEquals(format == null, hit, segment + " " + r.headers());
        if (format != null) add(owner, format, originalType, Metric.VARIANTS, 1);
    }

    private void add(String owner, String format, String type, Metric m, long amount) {
        for (var entry : List.of(Map.entry(byOwner, owner), Map.entry(byFormat, format), Map.entry(byType, type))) {
            entry.getKey().computeIfAbsent(entry.getValue(), k -> new EnumMap<>(Metric.class)).merge(m, amount, Long::sum);
        }
    }

    private static Map<String, Map<String, Long>> expectedWithoutSrMs(Map<String, Map<Metric, Long>> rows) {
        Map<String, Map<String, Long>> out = new java.util.TreeMap<>();
        rows.forEach((key, values) -> {
            Map<String, Long> m = new java.util.TreeMap<>();
            for (Metric metric : Metric.values()) {
                if (metric != Metric.SR_MS) m.put(metric.field(), values.getOrDefault(metric, 0L));
            }
            out.put(key, m);
        });
        return out;
    }

    private static Map<String, Map<String, Long>> actualWithoutSrMs(JsonNode report, String key) {
        Map<String, Map<String, Long>> out = new java.util.TreeMap<>();
        for (JsonNode row : report.get("rows")) {
            Map<String, Long> m = new java.util.TreeMap<>();
            for (Metric metric : Metric.values()) {
                if (metric != Metric.SR_MS) m.put(metric.field(), row.get(metric.field()).asLong());
            }
            out.put(row.get(key).asText(), m);
        }
        return out;
    }

    /** The README's usage queries: every ```sql block that starts with "-- query: name". */
    static Map<String, String> readmeQueries() throws Exception {
        Path readme = Fixtures.root().getParent().resolve("README.md");
        Matcher m = Pattern.compile("(?s)```sql\\n-- query: (\\w+)\\n(.*?)\\n```").matcher(Files.readString(readme));
        Map<String, String> out = new LinkedHashMap<>();
        while (m.find()) out.put(m.group(1), m.group(2).strip());
        return out;
    }

    private JsonNode stats(String query) throws Exception {
        var r = get("/v1/stats?" + query, bearer(DevIssuer.ADMIN));
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> get(String pathAndQuery, String authorization) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(edge.baseUrl() + pathAndQuery)).GET();
        if (authorization != null) b.header("Authorization", authorization);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String bearer(String who) throws Exception {
        if (who.equals(DevIssuer.ADMIN) || who.equals(DevIssuer.USER)) {
            return edge.issuer().bearer(who);
        }
        return "Bearer " + edge.issuer().token(who, List.of(), Instant.now(), Duration.ofHours(1));
    }

    private static boolean pause() throws InterruptedException {
        Thread.sleep(500);
        return true;
    }
}
