package io.imagescaler.handler.analytics;

import java.util.EnumMap;
import java.util.Map;

/** One row of a usage report: the group's key (a day, an owner, a type or a format) and its measures. */
public record UsageRow(String key, Map<Metric, Long> values) {

    public UsageRow {
        EnumMap<Metric, Long> all = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) all.put(m, values.getOrDefault(m, 0L));
        values = Map.copyOf(all);
    }

    public long get(Metric m) {
        return values.get(m);
    }
}
