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
 * How much the heap's live data grows during a piece of work. Two views, the larger wins: the most
 * heap in use after any collection during the work (GC notifications), and the old generation's peak
 * (where a large array is allocated directly, even if no collection runs). The young generation's peak
 * is left out on purpose: it fills with short-lived buffers up to its size before every collection,
 * whatever the work holds on to.
 */
final class HeapWatch {
    private final long baseline;
    private final List<MemoryPoolMXBean> old;
    private final long oldBaseline;
    private final AtomicLong maxAfterGc = new AtomicLong();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = (n, handback) -> {
        if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
            long after = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
                    .mapToLong(java.lang.management.MemoryUsage::getUsed).sum();
            maxAfterGc.accumulateAndGet(after, Math::max);
        }
    };

    /** Usage growth over the baseline, in bytes, and its two views. */
    record Growth(long afterGcBytes, long oldPeakBytes) {
        long bytes() {
            return Math.max(afterGcBytes, oldPeakBytes);
        }

        @Override
        public String toString() {
            return "heap live data +" + (afterGcBytes >> 20) + " MB after collections, old generation peak +"
                    + (oldPeakBytes >> 20) + " MB";
        }
    }

    private HeapWatch() {
        System.gc();
        baseline = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
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

    static HeapWatch start() {
        return new HeapWatch();
    }

    Growth stop() {
        try {
            Thread.sleep(300);   // GC notifications arrive on another thread, shortly after each collection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long oldPeak = old.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        for (NotificationEmitter e : emitters) {
            try {
                e.removeNotificationListener(listener);
            } catch (javax.management.ListenerNotFoundException ignored) {
                // already gone
            }
        }
        return new Growth(Math.max(0, maxAfterGc.get() - baseline), Math.max(0, oldPeak - oldBaseline));
    }
}
