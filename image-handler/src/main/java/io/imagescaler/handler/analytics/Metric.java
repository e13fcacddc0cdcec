package io.imagescaler.handler.analytics;

/**
 * The measures every usage query returns, in column order after the group key. The SQL column names
 * ({@code usage-queries.sql}) are the CSV header; the JSON names are camelCase.
 */
public enum Metric {
    /** Originals stored (sync and multipart). */
    UPLOADS("uploads", "uploads"),
    /** Bytes of those originals. */
    BYTES("bytes", "bytes"),
    /** Moderation verdicts that blurred or rejected (at upload or by a re-moderation). */
    FLAGGED("flagged", "flagged"),
    /** Variants rendered and stored (generated-bucket and CDN hits are not events). */
    VARIANTS("variants", "variants"),
    /** Variants the super-resolution endpoint enlarged (Lanczos fallbacks are not counted). */
    SR_CALLS("sr_calls", "srCalls"),
    /** Milliseconds spent in the super-resolution endpoint. */
    SR_MS("sr_ms", "srMs"),
    /** Images deleted. */
    DELETES("deletes", "deletes");

    private final String column;
    private final String field;

    Metric(String column, String field) {
        this.column = column;
        this.field = field;
    }

    public String column() {
        return column;
    }

    public String field() {
        return field;
    }
}
