package io.imagescaler.edge;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * How much the heap's live data grows during a piece of work. The largest of: the most heap in use
 * after any collection during the work (GC notifications), the old generation's peak (where large
 * arrays may go directly), and, when no collection ran at all, everything allocated since the start
 * (heap in use at the end: an upper bound). The young generation's peak between collections is left
 * out on purpose: it fills with short-lived buffers up to its size, whatever the work holds on to.
 * {@link #sampling} also collects every few hundred milliseconds, so that the live data is seen while
 * the work runs, not only when the young generation happens to fill.
 */
final class HeapWatch {
    private static final java.util.Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    private final long baseline;
    private final List<MemoryPoolMXBean> old;
    private final long oldBaseline;
    private final AtomicLong maxAfterGc = new AtomicLong();
    /** Heap in use after each collection: " <ms since start>ms:<MB>" (absolute, the baseline is printed first). */
    final StringBuffer timeline = new StringBuffer();
    private final long t0 = System.nanoTime();
    private final java.util.concurrent.atomic.AtomicInteger collections = new java.util.concurrent.atomic.AtomicInteger();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = (n, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
            // the map holds every pool, Metaspace and code cache included: count the heap's only
            long after = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                    .filter(e -> HEAP_POOLS.contains(e.getKey()))
                    .mapToLong(e -> e.getValue().getUsed()).sum();
            maxAfterGc.accumulateAndGet(after, Math::max);
            timeline.append(' ').append((System.nanoTime() - t0) / 1_000_000).append("ms:")
                    .append(after >> 20);
            collections.incrementAndGet();
        }
    };

    /** Usage growth over the baseline, in bytes, and its two views. */
    record Growth(long afterGcBytes, long oldPeakBytes, int collections, long allocatedWithoutGcBytes) {
        long bytes() {
            return Math.max(Math.max(afterGcBytes, oldPeakBytes), allocatedWithoutGcBytes);
        }

        @Override
        public String toString() {
            return "heap growth +" + (bytes() >> 20) + " MB (" + collections + " collections; live after them +"
                    + (afterGcBytes >> 20) + " MB; old generation peak +" + (oldPeakBytes >> 20) + " MB"
                    + (collections == 0 ? "; allocated +" + (allocatedWithoutGcBytes >> 20) + " MB" : "") + ")";
        }
    }

    private HeapWatch() {
        System.gc();
        baseline = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        timeline.append("baseline ").append(baseline >> 20).append(" MB;");
        old = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .filter(p -> p.getName().contains("Old") || p.getName().contains("Tenured")).toList();
        if (old.isEmpty()) throw new IllegalStateException("no old-generation pool in this JVM");
        old.forEach(MemoryPoolMXBean::resetPeakUsage);
        oldBaseline = old.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter e) {
                e.addNotificationListener(listener, null, null);
                emitters.add(e);
            }
        }
    }

    private Thread sampler;

    static HeapWatch start() {
        return new HeapWatch();
    }

    /** As {@link #start}, plus a full collection every {@code everyMillis} while the work runs. */
    static HeapWatch sampling(long everyMillis) {
        HeapWatch watch = new HeapWatch();
        watch.sampler = Thread.ofPlatform().daemon().name("heap-watch").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(everyMillis);
                    System.gc();
                }
            } catch (InterruptedException e) {
                // stopped
            }
        });
        return watch;
    }

    Growth stop() {
        if (sampler != null) {
            sampler.interrupt();
            try {
                sampler.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Thread.sleep(300);   // GC notifications arrive on another thread, shortly after each collection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long oldPeak = old.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (javax.management.ListenerNotFoundException ignored) {
                // already gone
            }
        }
        int n = collections.get();
        return new Growth(n == 0 ? 0 : Math.max(0, maxAfterGc.get() - baseline), Math.max(0, oldPeak - oldBaseline),
                n, n == 0 ? Math.max(0, used - baseline) : 0);
    }
}
