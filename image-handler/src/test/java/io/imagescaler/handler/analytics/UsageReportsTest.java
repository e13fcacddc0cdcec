package io.imagescaler.handler.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.handler.error.ImageScalerException.InvalidRequest;
import io.imagescaler.handler.error.ImageScalerException.UpstreamFailure;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The report use case over an in-memory query port and a fixed clock. */
class UsageReportsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:15:30Z"), ZoneOffset.UTC);

    /** Answers fixed rows and remembers the SQL it was asked. */
    static final class Rows implements UsageQueries {
        final List<String> asked = new ArrayList<>();
        List<UsageRow> rows = List.of();

        @Override
        public List<UsageRow> select(String sql, int maxRows) {
            asked.add(sql);
            if (rows.size() > maxRows) throw new TooManyRows(maxRows);
            return rows;
        }
    }

    final Rows lake = new Rows();
    final UsageReports reports = new UsageReports(lake, UsageSql.load(), UsageEvents.none(), CLOCK);

    static UsageReports.Question q(String from, String to, String groupBy, String page, String pageSize) {
        return new UsageReports.Question(Optional.ofNullable(from), Optional.ofNullable(to), Optional.ofNullable(groupBy),
                Optional.ofNullable(page), Optional.ofNullable(pageSize));
    }

    @Test
    void theDefaultIsTheLast30DaysByDayWithEveryDayPresent() {
        lake.rows = List.of(new UsageRow("2026-11-20", Map.of(Metric.UPLOADS, 4L, Metric.VARIANTS, 9L)));
        UsageReport r = reports.report(q(null, null, null, null, null), Optional.empty());
        assertEquals("2026-10-25", r.from().toString());
        assertEquals("2026-11-23", r.to().toString());
        assertEquals(30, r.rows().size());
        assertEquals("2026-11-20", r.rows().get(26).key());
        assertEquals(4, r.rows().get(26).get(Metric.UPLOADS));
        assertEquals(0, r.rows().get(0).get(Metric.UPLOADS));
        assertEquals(9L, r.totals().get(Metric.VARIANTS));
        assertTrue(lake.asked.getFirst().contains("dt BETWEEN '2026-10-25' AND '2026-11-23'"), lake.asked.getFirst());
        assertTrue(lake.asked.getFirst().contains("(NULL IS NULL OR owner = NULL)"), lake.asked.getFirst());
    }

    @Test
    void anOwnersReportBindsTheOwnerAsAQuotedLiteral() {
        reports.report(q("2026-11-01", "2026-11-02", "owner", null, null), Optional.of("o'brien'); DROP TABLE events; --"));
        String sql = lake.asked.getFirst();
        assertTrue(sql.contains("owner = 'o''brien''); DROP TABLE events; --'"), sql);
        assertTrue(sql.startsWith("SELECT COALESCE(owner, 'unknown') AS owner"), sql);
    }

    @Test
    void badQuestionsAreInvalidRequestsNamingTheProblem() {
        assertEquals("from (2026-03-02) is after to (2026-03-01)", assertThrows(InvalidRequest.class,
                () -> reports.report(q("2026-03-02", "2026-03-01", null, null, null), Optional.empty())).getMessage());
        assertTrue(assertThrows(InvalidRequest.class, () -> reports.report(q("2016-01-01", "2025-12-31", null, null, null),
                Optional.empty())).getMessage().contains("3653 days; at most 366"));
        assertEquals("groupBy must be one of day, owner, type, format, got 'colour'", assertThrows(InvalidRequest.class,
                () -> reports.report(q(null, null, "colour", null, null), Optional.empty())).getMessage());
        assertTrue(assertThrows(InvalidRequest.class, () -> reports.report(q(null, null, null, "0", null),
                Optional.empty())).getMessage().startsWith("page must be a whole number"));
        assertTrue(assertThrows(InvalidRequest.class, () -> reports.report(q(null, null, null, null, "1001"),
                Optional.empty())).getMessage().startsWith("pageSize must be a whole number from 1 to 1000"));
        assertTrue(assertThrows(InvalidRequest.class, () -> reports.report(q("23.11.2026", null, null, null, null),
                Optional.empty())).getMessage().startsWith("from must be an ISO date"));
        assertTrue(lake.asked.isEmpty(), "nothing was asked of the lake");
        // 366 days is allowed, 367 is not
        reports.report(q("2025-11-23", "2026-11-23", null, null, null), Optional.empty());
        assertThrows(InvalidRequest.class, () -> reports.report(q("2025-11-22", "2026-11-23", null, null, null),
                Optional.empty()));
    }

    @Test
    void pagesHoldAtMostTheirSizeAndTotalsCoverEveryPage() {
        List<UsageRow> owners = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) owners.add(new UsageRow("owner-" + i, Map.of(Metric.UPLOADS, 1L)));
        lake.rows = owners;
        UsageReport first = reports.report(q(null, null, "owner", null, null), Optional.empty());
        assertEquals(1000, first.rows().size());
        assertEquals(2500, first.totalRows());
        assertEquals(2500L, first.totals().get(Metric.UPLOADS));
        assertTrue(first.hasNext());
        UsageReport last = reports.report(q(null, null, "owner", "3", null), Optional.empty());
        assertEquals(500, last.rows().size());
        assertEquals("owner-2000", last.rows().getFirst().key());
        assertEquals(false, last.hasNext());
        assertEquals(0, reports.report(q(null, null, "owner", "4", null), Optional.empty()).rows().size());
    }

    @Test
    void aFailingEngineIsA503AndTooManyRowsA400() {
        UsageReports failing = new UsageReports((sql, max) -> {
            throw new IllegalStateException("Athena query timed out");
        }, UsageSql.load(), UsageEvents.none(), CLOCK);
        assertThrows(UpstreamFailure.class, () -> failing.report(q(null, null, null, null, null), Optional.empty()));
        UsageReports huge = new UsageReports((sql, max) -> {
            throw new UsageQueries.TooManyRows(max);
        }, UsageSql.load(), UsageEvents.none(), CLOCK);
        assertTrue(assertThrows(InvalidRequest.class, () -> huge.report(q(null, null, "owner", null, null),
                Optional.empty())).getMessage().contains("more than 50000 rows"));
    }
}
