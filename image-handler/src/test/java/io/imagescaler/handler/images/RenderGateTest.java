package io.imagescaler.handler.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.handler.error.ImageScalerException.Overloaded;
import io.imagescaler.handler.transform.StageTimings;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RenderGateTest {

    @Test
    void slotsRunQueuedWaitAndTheRestAreRefusedAtOnce() throws Exception {
        RenderGate gate = new RenderGate(1, 1, Duration.ofSeconds(10));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        var first = pool.submit(() -> gate.run(new StageTimings(), () -> {
            running.countDown();
            await(release);
            return 1;
        }));
        running.await();
        StageTimings queued = new StageTimings();
        var second = pool.submit(() -> gate.run(queued, () -> 2));
        while (gate.admitted() < 2) {
            Thread.sleep(5);
        }
        long t0 = System.nanoTime();
        Overloaded refused = assertThrows(Overloaded.class, () -> gate.run(new StageTimings(), () -> 3));
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1), "refused without waiting");
        assertEquals(503, refused.status());
        assertEquals(1, refused.retryAfterSeconds().getAsInt());
        release.countDown();
        assertEquals(1, first.get());
        assertEquals(2, second.get());
        assertTrue(queued.asMap().get("queue") > 0, "the wait is the queue stage");
        pool.shutdown();
    }

    @Test
    void aWaitLongerThanTheLimitIsRefused() throws Exception {
        RenderGate gate = new RenderGate(1, 4, Duration.ofMillis(50));
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        pool.submit(() -> gate.run(new StageTimings(), () -> {
            running.countDown();
            await(release);
            return 1;
        }));
        running.await();
        assertThrows(Overloaded.class, () -> gate.run(new StageTimings(), () -> 2));
        release.countDown();
        pool.shutdown();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
