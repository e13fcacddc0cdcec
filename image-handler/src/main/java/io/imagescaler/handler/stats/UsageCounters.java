package io.imagescaler.handler.stats;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** Daily usage counters (one DynamoDB item per day on AWS), incremented atomically. */
public interface UsageCounters {

    /** Adds the amounts to the day's counters in one atomic update; concurrent adds never lose a count. */
    void add(LocalDate day, Map<Counter, Long> amounts);

    /** Every day from {@code from} to {@code to}, both included, in order; missing days are all zeros. */
    List<DailyUsage> range(LocalDate from, LocalDate to);
}
