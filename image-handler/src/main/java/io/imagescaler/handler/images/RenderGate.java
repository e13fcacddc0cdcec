package io.imagescaler.handler.images;

import io.imagescaler.handler.error.ImageScalerException.Overloaded;
import io.imagescaler.handler.transform.StageTimings;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounds the renders one process runs at once: {@code slots} run, up to {@code queue} more wait (at most
 * {@code maxWait}), and any further miss is refused at once with 503 {@code overloaded} rather than
 * piling up memory and latency for everyone. On Lambda (one request per instance) it never waits; the
 * local edge and any multi-request host depend on it.
 */
final class RenderGate {
    private final Semaphore slots;
    private final int capacity;
    private final Duration maxWait;
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();

    RenderGate(int slots, int queue, Duration maxWait) {
        this.slots = new Semaphore(slots, true);
        this.capacity = slots + queue;
        this.maxWait = maxWait;
    }

    /** Runs the render in a slot; the wait for the slot is the {@code queue} stage. */
    <T> T run(StageTimings timings, Supplier<T> render) {
        if (admitted.incrementAndGet() > capacity) {
            admitted.decrementAndGet();
            refused.incrementAndGet();
            throw new Overloaded("every render slot and queue place is taken (" + capacity + "); retry shortly");
        }
        try {
            long t0 = System.nanoTime();
            boolean got = slots.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS);
            timings.record("queue", (System.nanoTime() - t0) / 1e6);
            if (!got) {
                refused.incrementAndGet();
                throw new Overloaded("no render slot came free within " + maxWait.toSeconds() + " s; retry shortly");
            }
            try {
                return render.get();
            } finally {
                slots.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Overloaded("interrupted while waiting for a render slot");
        } finally {
            admitted.decrementAndGet();
        }
    }

    /** Renders running or waiting now. */
    int admitted() {
        return admitted.get();
    }

    /** Misses refused since start (the metric an alarm would watch). */
    int refused() {
        return refused.get();
    }
}
