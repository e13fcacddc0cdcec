package io.imagescaler.handler.analytics.aws;

import io.imagescaler.handler.analytics.Metric;
import io.imagescaler.handler.analytics.UsageQueries;
import io.imagescaler.handler.analytics.UsageRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.Datum;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.Row;

/**
 * {@link UsageQueries} on Athena: StartQueryExecution in the analytics workgroup (its enforced result
 * location and scan limit apply), polls GetQueryExecution until the query ends or the timeout passes
 * (then StopQueryExecution, and the report is a 503), and reads the rows with GetQueryResults. Result
 * reuse is on (15 minutes), so a dashboard reloaded within that time costs no second scan.
 */
public final class AthenaUsageQueries implements UsageQueries {
    static final Duration REUSE = Duration.ofMinutes(15);

    private final AthenaClient athena;
    private final String workgroup;
    private final String database;
    private final Duration timeout;
    private final Duration poll;

    public AthenaUsageQueries(AthenaClient athena, String workgroup, String database, Duration timeout,
                              Duration poll) {
        this.athena = athena;
        this.workgroup = workgroup;
        this.database = database;
        this.timeout = timeout;
        this.poll = poll;
    }

    @Override
    public List<UsageRow> select(String sql, int maxRows) {
        String id = athena.startQueryExecution(b -> b.queryString(sql).workGroup(workgroup)
                .queryExecutionContext(c -> c.database(database))
                .resultReuseConfiguration(r -> r.resultReuseByAgeConfiguration(a -> a.enabled(true)
                        .maxAgeInMinutes((int) REUSE.toMinutes()))))
                .queryExecutionId();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var status = athena.getQueryExecution(b -> b.queryExecutionId(id)).queryExecution().status();
            QueryExecutionState state = status.state();
            if (state == QueryExecutionState.SUCCEEDED) break;
            if (state == QueryExecutionState.FAILED || state == QueryExecutionState.CANCELLED) {
                throw new IllegalStateException("Athena query " + id + " " + state + ": "
                        + status.stateChangeReason());
            }
            if (System.nanoTime() > deadline) {
                athena.stopQueryExecution(b -> b.queryExecutionId(id));
                throw new IllegalStateException("Athena query " + id + " still " + state + " after "
                        + timeout.toSeconds() + " s; stopped");
            }
            try {
                Thread.sleep(poll);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Athena query " + id, e);
            }
        }
        return rows(id, maxRows);
    }

    private List<UsageRow> rows(String id, int maxRows) {
        List<UsageRow> rows = new ArrayList<>();
        Map<String, Integer> columns = null;
        for (GetQueryResultsResponse page : athena.getQueryResultsPaginator(b -> b.queryExecutionId(id)
                .maxResults(1000))) {
            for (Row row : page.resultSet().rows()) {
                List<String> cells = row.data().stream().map(Datum::varCharValue).toList();
                if (columns == null) {
                    // The first row of a SELECT's results is its header.
                    columns = new HashMap<>();
                    for (int i = 0; i < cells.size(); i++) columns.put(cells.get(i), i);
                    continue;
                }
                if (rows.size() == maxRows) throw new TooManyRows(maxRows);
                rows.add(row(cells, columns));
            }
        }
        return rows;
    }

    static UsageRow row(List<String> cells, Map<String, Integer> columns) {
        Map<Metric, Long> values = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            Integer i = columns.get(m.column());
            if (i == null) throw new IllegalStateException("the query has no column " + m.column());
            String cell = cells.get(i);
            values.put(m, cell == null || cell.isEmpty() ? 0L : Long.parseLong(cell));
        }
        return new UsageRow(cells.get(0), values);
    }

    @Override
    public String toString() {
        return "Athena workgroup " + workgroup + ", database " + database;
    }
}
