package io.imagescaler.edge.analytics;

import io.imagescaler.handler.analytics.Metric;
import io.imagescaler.handler.analytics.UsageQueries;
import io.imagescaler.handler.analytics.UsageRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@link UsageQueries} for the local edge: DuckDB (in-process, in memory) over the local lake's
 * partitioned JSON-lines files, through a view named {@code events} with the Glue table's columns and
 * types, so the queries Athena runs on AWS run here unchanged. DuckDB is a native library: it lives in
 * the local edge, never in the Lambda package.
 */
public final class DuckDbUsageQueries implements UsageQueries, AutoCloseable {
    /**
     * The Glue table's columns ({@code analytics/events-columns.txt}, the list the cdk app reads), in DuckDB
     * types; {@code dt} comes from the folder names ({@code dt=YYYY-MM-DD}) and stays text, as the
     * partition is text in Glue.
     */
    public static final String COLUMNS = columns();

    private final Path events;
    private final Connection duck;

    /** @param events the lake's {@code events} folder (holding the {@code dt=} partitions) */
    public DuckDbUsageQueries(Path events) {
        this.events = events;
        try {
            this.duck = DriverManager.getConnection("jdbc:duckdb:");
            try (Statement s = duck.createStatement()) {
                // Loopback only: DuckDB must not fetch extensions from the network.
                s.execute("SET autoinstall_known_extensions = false");
                s.execute("SET autoload_known_extensions = false");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB could not start", e);
        }
    }

    /** The statement that defines the {@code events} view over a lake folder (also used by tests). */
    public static String viewOver(Path events) {
        String glob = events.toAbsolutePath() + "/dt=*/*.json";
        return "CREATE OR REPLACE VIEW events AS SELECT * FROM read_json('" + glob.replace("'", "''")
                + "', format = 'newline_delimited', hive_partitioning = true, hive_types = {'dt': 'VARCHAR'}, "
                + "columns = " + COLUMNS + ")";
    }

    @Override
    public synchronized List<UsageRow> select(String sql, int maxRows) {
        if (!hasFiles()) {
            return List.of();
        }
        try (Statement s = duck.createStatement()) {
            s.execute(viewOver(events));
            List<UsageRow> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery(sql)) {
                while (r.next()) {
                    if (rows.size() == maxRows) throw new TooManyRows(maxRows);
                    Map<Metric, Long> values = new EnumMap<>(Metric.class);
                    for (Metric m : Metric.values()) values.put(m, r.getLong(m.column()));
                    rows.add(new UsageRow(r.getString(1), values));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB query failed: " + e.getMessage(), e);
        }
    }

    private boolean hasFiles() {
        if (!Files.isDirectory(events)) return false;
        try (Stream<Path> partitions = Files.list(events)) {
            return partitions.anyMatch(p -> p.getFileName().toString().startsWith("dt=") && hasJson(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean hasJson(Path partition) {
        try (Stream<Path> files = Files.list(partition)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".json")
                    && !f.getFileName().toString().startsWith("."));
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public synchronized void close() {
        try {
            duck.close();
        } catch (SQLException e) {
            // closing an in-memory database: nothing to keep
        }
    }

    @Override
    public String toString() {
        return "DuckDB over " + events;
    }

    private static String columns() {
        try (var in = DuckDbUsageQueries.class.getResourceAsStream("/analytics/events-columns.txt")) {
            if (in == null) throw new IllegalStateException("analytics/events-columns.txt is missing");
            List<String> entries = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) continue;
                String[] parts = l.split("\\s+");
                String type = switch (parts[1]) {
                    case "string" -> "VARCHAR";
                    case "bigint" -> "BIGINT";
                    case "int" -> "INTEGER";
                    case "double" -> "DOUBLE";
                    default -> throw new IllegalStateException("no DuckDB type for Glue type " + parts[1]);
                };
                entries.add("'" + parts[0] + "': '" + type + "'");
            }
            return "{" + String.join(", ", entries) + "}";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
