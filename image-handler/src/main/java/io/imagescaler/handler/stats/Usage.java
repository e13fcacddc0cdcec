package io.imagescaler.handler.stats;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what the service did, by UTC day. Counting happens after the work succeeded and never fails
 * the request it counts: a failed counter update is logged (and that count lost) rather than turning a
 * stored upload into an error the client would retry.
 */
public final class Usage {
    private static final Logger LOG = LoggerFactory.getLogger(Usage.class);

    private final UsageCounters counters;
    private final Clock clock;

    public Usage(UsageCounters counters, Clock clock) {
        this.counters = counters;
        this.clock = clock;
    }

    public void count(Map<Counter, Long> amounts) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        try {
            counters.add(today, amounts);
        } catch (RuntimeException e) {
            LOG.error("usage counters for {} not updated ({}): {}", today, amounts, e.toString());
        }
    }

    public UsageCounters counters() {
        return counters;
    }
}
