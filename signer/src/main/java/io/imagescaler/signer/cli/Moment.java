package io.imagescaler.signer.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * A point in time as typed on the command line: a duration from now ({@code 90s}, {@code 15m}, {@code 12h},
 * {@code 7d}), epoch seconds ({@code 1767225600}) or an ISO-8601 instant ({@code 2026-01-01T00:00:00Z}).
 */
record Moment(String text) {
    Instant resolve(Instant now) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.matches("\\d+[smhd]")) {
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            Duration d = switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.plus(d);
        }
        if (t.matches("\\d{9,12}")) {
            return Instant.ofEpochSecond(Long.parseLong(t));
        }
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is neither a duration (15m, 12h, 7d), epoch seconds"
                    + " nor an ISO-8601 instant");
        }
    }
}
