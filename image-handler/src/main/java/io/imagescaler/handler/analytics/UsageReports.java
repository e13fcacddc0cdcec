package io.imagescaler.handler.analytics;

import io.imagescaler.handler.error.ImageScalerException.InvalidRequest;
import io.imagescaler.handler.error.ImageScalerException.UpstreamFailure;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The usage report use case behind {@code GET /v1/stats}: validates the question, asks the lake through
 * {@link UsageQueries} with the one query for the grouping, and pages the answer. Days with no event are
 * rows of zeros in a by-day report, so a chart has every day of the period.
 */
public final class UsageReports {
    /** Longest period one report may cover. */
    public static final int MAX_DAYS = 366;
    /** Rows per page, at most. */
    public static final int MAX_PAGE_SIZE = 1000;
    /** Rows a report may hold in all (pages over them); more is a question to narrow. */
    static final int MAX_ROWS = 50_000;

    private final UsageQueries queries;
    private final UsageSql sql;
    private final UsageEvents events;
    private final Clock clock;

    /**
     * @param events flushed before each query, so a report includes this process's latest events (on AWS,
     *               Firehose's own buffer still delays them by up to its buffering interval)
     */
    public UsageReports(UsageQueries queries, UsageSql sql, UsageEvents events, Clock clock) {
        this.queries = queries;
        this.sql = sql;
        this.events = events;
        this.clock = clock;
    }

    /** A report question, as the query string gives it (every part optional). */
    public record Question(Optional<String> from, Optional<String> to, Optional<String> groupBy,
                           Optional<String> page, Optional<String> pageSize) {
    }

    /**
     * @param owner the one owner whose events count, or empty for all (the caller checked the right)
     */
    public UsageReport report(Question q, Optional<String> owner) {
        LocalDate to = q.to().map(t -> date("to", t)).orElse(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        LocalDate from = q.from().map(t -> date("from", t)).orElse(to.minusDays(29));
        if (from.isAfter(to)) {
            throw new InvalidRequest("from (" + from + ") is after to (" + to + ")");
        }
        long days = ChronoUnit.DAYS.between(from, to) + 1;
        if (days > MAX_DAYS) {
            throw new InvalidRequest("from " + from + " to " + to + " is " + days + " days; at most " + MAX_DAYS
                    + " days per request: ask for a shorter period");
        }
        GroupBy groupBy;
        try {
            groupBy = GroupBy.parse(q.groupBy().orElse("day"));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest(e.getMessage() + ", got '" + abbreviate(q.groupBy().orElse("")) + "'");
        }
        int pageSize = number("pageSize", q.pageSize(), MAX_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        int page = number("page", q.page(), 1, 1, MAX_ROWS);

        events.flush();
        List<UsageRow> rows;
        try {
            rows = queries.select(sql.render(groupBy, from, to, owner), MAX_ROWS);
        } catch (UsageQueries.TooManyRows e) {
            throw new InvalidRequest("the report has more than " + MAX_ROWS + " rows; ask for a shorter period");
        } catch (RuntimeException e) {
            throw new UpstreamFailure("the analytics query failed or took too long; try again", e);
        }
        if (groupBy == GroupBy.DAY) rows = everyDay(rows, from, to);
        Map<Metric, Long> totals = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) totals.put(m, 0L);
        for (UsageRow r : rows) for (Metric m : Metric.values()) totals.merge(m, r.get(m), Long::sum);
        int first = (int) Math.min((long) (page - 1) * pageSize, rows.size());
        List<UsageRow> pageRows = rows.subList(first, Math.min(rows.size(), first + pageSize));
        return new UsageReport(from, to, groupBy, owner, List.copyOf(pageRows), totals, rows.size(), page, pageSize);
    }

    private static List<UsageRow> everyDay(List<UsageRow> found, LocalDate from, LocalDate to) {
        Map<String, UsageRow> byDay = new HashMap<>();
        for (UsageRow r : found) byDay.put(r.key(), r);
        List<UsageRow> all = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            all.add(byDay.getOrDefault(d.toString(), new UsageRow(d.toString(), Map.of())));
        }
        return all;
    }

    private static int number(String name, Optional<String> text, int fallback, int min, int max) {
        if (text.isEmpty()) return fallback;
        try {
            int n = Integer.parseInt(text.get());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequest(name + " must be a whole number from " + min + " to " + max + ", got '"
                + abbreviate(text.get()) + "'");
    }

    private static LocalDate date(String name, String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidRequest(name + " must be an ISO date like 2026-11-23, got '" + abbreviate(text) + "'");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
