package io.imagescaler.handler.stats;

import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;

/** The counters of one UTC day; a counter never touched that day is 0. */
public record DailyUsage(LocalDate day, Map<Counter, Long> counts) {

    public DailyUsage {
        EnumMap<Counter, Long> all = new EnumMap<>(Counter.class);
        for (Counter c : Counter.values()) {
            all.put(c, counts.getOrDefault(c, 0L));
        }
        counts = Map.copyOf(all);
    }

    public long get(Counter c) {
        return counts.get(c);
    }
}
