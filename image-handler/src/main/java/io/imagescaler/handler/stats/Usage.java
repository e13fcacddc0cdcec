package io.imagescaler.handler.stats;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what the service did, by UTC day. A count never decides an answer, so it never delays or fails
 * one: {@link #count} only queues the update, and one background thread writes it (with the SDK's
 * bounded retries, off the request's time). A full queue or a failed write loses that count; both are
 * counted ({@link #lost()}) and logged. Reading the counters first waits, briefly, for the queued updates,
 * so a reader sees its own earlier requests.
 */
public final class Usage implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Usage.class);
    /** Updates waiting at most; beyond it counts are dropped rather than held in memory. */
    static final int QUEUE = 1024;
    private static final Duration DRAIN_BEFORE_READ = Duration.ofSeconds(2);

    private final UsageCounters counters;
    private final Clock clock;
    private final ThreadPoolExecutor writer;
    private final AtomicLong lost = new AtomicLong();

    public Usage(UsageCounters counters, Clock clock) {
        this.counters = counters;
        this.clock = clock;
        this.writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE),
                r -> {
                    Thread t = new Thread(r, "usage-counters");
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Queues the update of today's counters; returns at once. */
    public void count(Map<Counter, Long> amounts) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        try {
            writer.execute(() -> write(today, amounts));
        } catch (RejectedExecutionException e) {
            long n = lost.incrementAndGet();
            LOG.warn("usage counters for {} not updated ({}): the update queue is full; {} counts lost so far",
                    today, amounts, n);
        }
    }

    private void write(LocalDate day, Map<Counter, Long> amounts) {
        try {
            counters.add(day, amounts);
        } catch (RuntimeException e) {
            long n = lost.incrementAndGet();
            LOG.error("usage counters for {} not updated ({}): {}; {} counts lost so far", day, amounts, e.toString(), n);
        }
    }

    /** Counts lost since start (queue full or write failed): the metric an alarm would watch. */
    public long lost() {
        return lost.get();
    }

    /** The daily counters, after the updates queued so far were written (or two seconds passed). */
    public List<DailyUsage> range(LocalDate from, LocalDate to) {
        drain(DRAIN_BEFORE_READ);
        return counters.range(from, to);
    }

    /** Waits until every update queued before this call was written, at most {@code limit}. */
    public boolean drain(Duration limit) {
        var marker = new java.util.concurrent.CountDownLatch(1);
        try {
            writer.execute(marker::countDown);
            return marker.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public UsageCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        drain(DRAIN_BEFORE_READ);
        writer.shutdown();
    }
}
