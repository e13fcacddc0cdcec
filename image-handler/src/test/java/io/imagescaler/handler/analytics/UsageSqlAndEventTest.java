package io.imagescaler.handler.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The shipped queries and the event's JSON shape, held to the one column list. */
class UsageSqlAndEventTest {

    @Test
    void everyGroupingHasAQueryReturningTheKeyThenEveryMetric() {
        UsageSql sql = UsageSql.load();
        for (GroupBy g : GroupBy.values()) {
            String q = sql.template(g);
            assertTrue(q.startsWith("SELECT "), q);
            assertTrue(q.contains(" AS " + g.key() + ","), q);
            for (Metric m : Metric.values()) assertTrue(q.contains(" AS " + m.column()), g + " lacks " + m);
            for (String p : List.of(":from", ":to", ":owner")) assertTrue(q.contains(p), g + " lacks " + p);
            // the common subset of Athena (Trino) and DuckDB: no FILTER clause, no engine-only functions
            assertFalse(q.contains("FILTER"), q);
            assertFalse(q.contains(";"), "one statement: " + q);
        }
        assertThrows(IllegalStateException.class, () -> UsageSql.parse("-- query: day\nSELECT 1"));
    }

    @Test
    void bindingQuotesEveryValue() {
        String bound = UsageSql.bind("a :from b :to c :owner d :owner", LocalDate.of(2026, 1, 2), LocalDate.of(2026, 1, 3),
                Optional.of("it's :from"));
        assertEquals("a '2026-01-02' b '2026-01-03' c 'it''s :from' d 'it''s :from'", bound);
        assertEquals("x NULL", UsageSql.bind("x :owner", LocalDate.EPOCH, LocalDate.EPOCH, Optional.empty()));
    }

    @Test
    void anEventsJsonKeysAreTheTablesColumns() throws Exception {
        List<String> columns = new ArrayList<>();
        try (InputStream in = UsageSql.class.getResourceAsStream("/analytics/events-columns.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) columns.add(line.strip().split("\\s+")[0]);
            }
        }
        UsageEvent full = UsageEvent.at(Instant.parse("2026-11-23T23:59:59.999Z"), UsageEvent.Type.JOB)
                .image("alice", "id", "image/jpeg").size(10, 2, 3).transform("w_8.webp").format("webp")
                .durationMs(7).verdict("BLUR", "Violence").source("sr-x4").job("job-1", "DELIVERED").build();
        var json = new ObjectMapper().readTree(full.json());
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertEquals(columns, keys);
        assertEquals("2026-11-23T23:59:59.999Z", json.get("event_time").asText());
        assertEquals("job", json.get("event_type").asText());
        assertEquals(LocalDate.of(2026, 11, 23), full.day());
        // absent fields are absent (NULL in SQL), not empty strings
        var upload = new ObjectMapper().readTree(UsageEvent.at(Instant.EPOCH, UsageEvent.Type.UPLOAD)
                .image("bob", "id", "image/svg+xml").build().json());
        assertFalse(upload.has("verdict"));
        assertEquals("svg", upload.get("format").asText());
        assertEquals("jpg", UsageEvent.formatOf("image/jpeg"));
    }
}
