package io.imagescaler.handler.analytics;

import java.util.List;

/**
 * Runs one of the {@link UsageSql} queries against the lake: Athena on AWS, DuckDB over the local lake's
 * files in the local edge. Each row is the group key (first column) and the {@link Metric}s by name.
 */
public interface UsageQueries {

    /**
     * @param sql     a rendered query of {@link UsageSql}
     * @param maxRows the most rows the caller accepts
     * @throws TooManyRows when the result has more than {@code maxRows}
     * @throws RuntimeException when the engine failed or took too long
     */
    List<UsageRow> select(String sql, int maxRows);

    /** The result would not fit the bound a report may hold. */
    final class TooManyRows extends RuntimeException {
        public TooManyRows(int maxRows) {
            super("more than " + maxRows + " rows");
        }
    }
}
