package io.imagescaler.handler.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The buffer between the use cases and the event log: never blocks, never throws, counts what it loses. */
class UsageEventsTest {
    private static final Instant T = Instant.parse("2026-11-23T10:15:30Z");

    private static UsageEvent event(int i) {
        return UsageEvent.at(T, UsageEvent.Type.UPLOAD).image("owner-" + i, "id-" + i, "image/png").build();
    }

    @Test
    void eventsAreWrittenInBatchesByTheBackgroundWriter() throws Exception {
        List<List<UsageEvent>> batches = new CopyOnWriteArrayList<>();
        CountDownLatch written = new CountDownLatch(1);
        try (UsageEvents events = new UsageEvents(batch -> {
            batches.add(batch);
            written.countDown();
            return 0;
        }, Duration.ofMillis(20), line -> { })) {
            for (int i = 0; i < 3; i++) events.record(event(i));
            assertTrue(written.await(5, TimeUnit.SECONDS), "the writer ran on its own");
        }
        assertEquals(3, batches.stream().mapToInt(List::size).sum());
    }

    @Test
    void aFailingLogNeverReachesTheCallerAndIsCountedAndReportedAsAMetric() {
        List<String> metrics = new ArrayList<>();
        try (UsageEvents events = new UsageEvents(batch -> {
            throw new IllegalStateException("Firehose is down");
        }, Duration.ofMinutes(5), metrics::add)) {
            for (int i = 0; i < 3; i++) events.record(event(i));   // must not throw
            events.flush();
            assertEquals(3, events.lost());
            assertEquals(0, events.written());
        }
        assertEquals(1, metrics.size());
        assertTrue(metrics.getFirst().contains("\"AnalyticsEventsLost\":3"), metrics.getFirst());
        assertTrue(metrics.getFirst().contains("\"Namespace\":\"ImageScaler\""), metrics.getFirst());
    }

    @Test
    void recordsRefusedByTheLogAreLost() {
        try (UsageEvents events = new UsageEvents(batch -> 1, Duration.ofMinutes(5), line -> { })) {
            events.record(event(1));
            events.record(event(2));
            events.flush();
            assertEquals(1, events.lost());
            assertEquals(1, events.written());
        }
    }

    @Test
    void aFullQueueDropsInsteadOfWaiting() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> metrics = new CopyOnWriteArrayList<>();
        // A log that hangs: the writer thread is stuck, the queue fills up, record() still returns at once.
        try (UsageEvents events = new UsageEvents(batch -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }, Duration.ofMillis(10), metrics::add)) {
            long start = System.nanoTime();
            for (int i = 0; i < UsageEvents.CAPACITY + 1_500; i++) events.record(event(i));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(events.lost() >= 1_000, "lost " + events.lost());
            assertTrue(ms < 5_000, "record() never waited: " + ms + " ms");
            release.countDown();
        }
        // reported in a few aggregated lines (one per writer pass), not one per dropped event
        assertTrue(metrics.size() >= 1 && metrics.size() <= 5, metrics.size() + " metric lines");
    }

    @Test
    void closeWritesWhatIsQueued() {
        List<UsageEvent> all = new CopyOnWriteArrayList<>();
        UsageEvents events = new UsageEvents(batch -> {
            all.addAll(batch);
            return 0;
        }, Duration.ofMinutes(5), line -> { });
        for (int i = 0; i < 1_234; i++) events.record(event(i));
        events.close();
        assertEquals(1_234, all.size());
        events.record(event(0));   // after close: dropped and counted, not thrown
        assertEquals(1, events.lost());
    }
}
