package io.imagescaler.handler.analytics;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One page of a usage report.
 *
 * @param rows      this page's rows
 * @param totals    the sums over every row of the report, not just this page
 * @param totalRows how many rows the whole report has
 * @param page      1-based page number
 */
public record UsageReport(LocalDate from, LocalDate to, GroupBy groupBy, Optional<String> owner,
                          List<UsageRow> rows, Map<Metric, Long> totals, int totalRows, int page, int pageSize) {

    public boolean hasNext() {
        return (long) page * pageSize < totalRows;
    }
}
