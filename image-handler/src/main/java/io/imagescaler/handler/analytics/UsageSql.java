package io.imagescaler.handler.analytics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The usage queries of {@code analytics/usage-queries.sql}, one per {@link GroupBy}, written once for
 * Athena and DuckDB. Parameters are bound as SQL literals by {@link #render}, the way Athena's own
 * execution parameters are substituted: dates are {@link LocalDate}s (digits and dashes only), the
 * owner is quoted with every {@code '} doubled, so no value can end the string.
 */
public final class UsageSql {
    public static final String RESOURCE = "/analytics/usage-queries.sql";
    private static final Pattern QUERY = Pattern.compile("(?m)^-- query: (\\w+)\\n");

    private final Map<GroupBy, String> queries;

    private UsageSql(Map<GroupBy, String> queries) {
        this.queries = queries;
    }

    /** The queries as shipped in the jar. */
    public static UsageSql load() {
        try (InputStream in = UsageSql.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits the file at its {@code -- query: name} lines; every {@link GroupBy} must have one. */
    public static UsageSql parse(String file) {
        Map<GroupBy, String> found = new EnumMap<>(GroupBy.class);
        Matcher m = QUERY.matcher(file);
        Integer start = null;
        GroupBy current = null;
        while (m.find()) {
            if (current != null) found.put(current, file.substring(start, m.start()).strip());
            current = GroupBy.parse(m.group(1));
            start = m.end();
        }
        if (current != null) found.put(current, file.substring(start).strip());
        for (GroupBy g : GroupBy.values()) {
            if (!found.containsKey(g)) throw new IllegalStateException("no query for groupBy " + g.key());
        }
        return new UsageSql(found);
    }

    /** The query text with its {@code :from}, {@code :to}, {@code :owner} placeholders. */
    public String template(GroupBy groupBy) {
        return queries.get(groupBy);
    }

    /** The query with its parameters bound as literals, ready for either engine. */
    public String render(GroupBy groupBy, LocalDate from, LocalDate to, Optional<String> owner) {
        return bind(template(groupBy), from, to, owner);
    }

    /** Binds the three placeholders in any text written like the queries (the README's, in tests). */
    public static String bind(String template, LocalDate from, LocalDate to, Optional<String> owner) {
        return template.replace(":from", literal(from.toString()))
                .replace(":to", literal(to.toString()))
                .replace(":owner", owner.map(UsageSql::literal).orElse("NULL"));
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
