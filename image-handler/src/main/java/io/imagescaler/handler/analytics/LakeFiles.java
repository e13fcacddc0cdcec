package io.imagescaler.handler.analytics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The local lake: each batch becomes one JSON-lines file per UTC day, laid out as Firehose lays out the
 * S3 lake ({@code events/dt=YYYY-MM-DD/...}), so DuckDB reads here exactly what Athena reads there.
 * A file is written under a hidden name and renamed, so a reader never sees half a file.
 */
public final class LakeFiles implements EventLog {
    /** The prefix under the lake root, as in the S3 lake bucket. */
    public static final String EVENTS = "events";

    private final Path root;

    /** @param root the lake folder (the local edge's {@code data/lake}) */
    public LakeFiles(Path root) {
        this.root = root;
    }

    /** Where the partitions live: {@code root/events}. */
    public Path events() {
        return root.resolve(EVENTS);
    }

    @Override
    public int write(List<UsageEvent> batch) {
        Map<LocalDate, List<UsageEvent>> byDay = batch.stream()
                .collect(Collectors.groupingBy(UsageEvent::day, TreeMap::new, Collectors.toList()));
        byDay.forEach(this::writeDay);
        return 0;
    }

    private void writeDay(LocalDate day, List<UsageEvent> events) {
        Path partition = events().resolve("dt=" + day);
        String name = "events-" + System.currentTimeMillis() + "-" + UUID.randomUUID() + ".json";
        StringBuilder lines = new StringBuilder();
        for (UsageEvent e : events) lines.append(e.json()).append('\n');
        try {
            Files.createDirectories(partition);
            Path hidden = partition.resolve("." + name + ".tmp");
            Files.writeString(hidden, lines, StandardCharsets.UTF_8);
            Files.move(hidden, partition.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + events.size() + " events under " + partition, e);
        }
    }

    @Override
    public String toString() {
        return "local lake " + events();
    }
}
