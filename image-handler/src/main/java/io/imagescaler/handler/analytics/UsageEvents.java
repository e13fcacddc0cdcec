package io.imagescaler.handler.analytics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buffer between the use cases and the {@link EventLog}: {@link #record} only offers the event to a
 * bounded queue and returns, so writing analytics never delays or fails an answer. A daemon thread
 * writes the queue in batches every {@code interval} (or as soon as a batch is full). When the queue is
 * full or a write fails, the events are counted as lost, logged, and reported as the EMF metric
 * {@code AnalyticsEventsLost} (an alarm can watch it); the request they describe is never affected.
 *
 * <p>On Lambda the thread is frozen with the environment between invocations: what is queued is sent on
 * the next invocation, or on shutdown; an environment retired without a shutdown hook loses at most one
 * interval's events (counted nowhere: the process is gone). That is the price of never waiting.
 */
public final class UsageEvents implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UsageEvents.class);
    static final int CAPACITY = 10_000;

    private final EventLog log;
    private final Duration interval;
    private final Consumer<String> metrics;
    private final BlockingQueue<UsageEvent> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final ReentrantLock writing = new ReentrantLock();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    /** Dropped by record() since the writer last reported them: one log line and metric per interval. */
    private final AtomicLong droppedUnreported = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    /**
     * @param metrics where the EMF line about lost events goes (stdout on Lambda)
     */
    public UsageEvents(EventLog log, Duration interval, Consumer<String> metrics) {
        this.log = log;
        this.interval = interval;
        this.metrics = metrics;
        this.writer = Thread.ofPlatform().daemon().name("usage-events").start(this::run);
    }

    /** No lake: every event is dropped at once (and not counted as lost). */
    public static UsageEvents none() {
        return new UsageEvents(EventLog.NONE, Duration.ofSeconds(1), line -> { });
    }

    /** Queues the event; never blocks, never throws. */
    public void record(UsageEvent event) {
        if (closed || !queue.offer(event)) {
            // Counted here, reported by the writer: a full queue must not turn into a log line per request.
            lost.incrementAndGet();
            droppedUnreported.incrementAndGet();
        } else if (queue.size() >= EventLog.MAX_BATCH) {
            LockSupport.unpark(writer);
        }
    }

    /**
     * Writes everything queued so far, on the caller's thread; used before a local query (so a report
     * sees the events just made) and on shutdown, never on a request's answer path.
     */
    public void flush() {
        writing.lock();
        try {
            long dropped = droppedUnreported.getAndSet(0);
            if (dropped > 0) report(dropped, "the event queue was full (" + CAPACITY + ") or closed", null);
            List<UsageEvent> batch = new ArrayList<>(EventLog.MAX_BATCH);
            while (queue.drainTo(batch, EventLog.MAX_BATCH) > 0) {
                write(batch);
                batch.clear();
            }
        } finally {
            writing.unlock();
        }
    }

    private void write(List<UsageEvent> batch) {
        try {
            int failed = log.write(List.copyOf(batch));
            written.addAndGet(batch.size() - failed);
            if (failed > 0) lose(failed, failed + " of " + batch.size() + " events were refused by the log", null);
        } catch (RuntimeException e) {
            lose(batch.size(), "the event log failed", e);
        }
    }

    private void run() {
        while (!closed) {
            // Woken early by unpark (a full batch waits, or close()); never interrupted, so an SDK call in
            // flight is never cut.
            LockSupport.parkNanos(interval.toNanos());
            flush();
        }
    }

    private void lose(int count, String why, RuntimeException cause) {
        lost.addAndGet(count);
        report(count, why, cause);
    }

    private void report(long count, String why, RuntimeException cause) {
        LOG.warn("{} usage event(s) lost: {}{}", count, why, cause == null ? "" : " (" + cause + ")");
        metrics.accept("{\"_aws\":{\"Timestamp\":" + System.currentTimeMillis() + ",\"CloudWatchMetrics\":[{"
                + "\"Namespace\":\"ImageScaler\",\"Dimensions\":[[\"Service\"]],\"Metrics\":[{"
                + "\"Name\":\"AnalyticsEventsLost\",\"Unit\":\"Count\"}]}]},\"Service\":\"image-scaler\","
                + "\"AnalyticsEventsLost\":" + count + "}");
    }

    /** Events the log accepted since start. */
    public long written() {
        return written.get();
    }

    /** Events dropped (queue full, log failed) since start. */
    public long lost() {
        return lost.get();
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        try {
            writer.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }

    @Override
    public String toString() {
        return "usage events to " + log + " every " + interval.toMillis() + " ms";
    }
}
