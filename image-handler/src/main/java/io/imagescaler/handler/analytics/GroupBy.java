package io.imagescaler.handler.analytics;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a usage report groups its rows: the {@code groupBy} parameter and the query of that name. */
public enum GroupBy {
    /** UTC day (the partition {@code dt}). */
    DAY,
    /** The uploader's subject (the customer). */
    OWNER,
    /** The original's media type. */
    TYPE,
    /** The format: the original's for uploads, verdicts and deletes; the output's for variants. */
    FORMAT;

    /** The name in the query string, the key column and the query's name in the SQL file. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static GroupBy parse(String text) {
        for (GroupBy g : values()) {
            if (g.key().equals(text)) return g;
        }
        throw new IllegalArgumentException("groupBy must be one of " + Arrays.stream(values()).map(GroupBy::key)
                .collect(Collectors.joining(", ")));
    }
}
