package io.imagescaler.handler.stats;

/** The per-day usage counters kept for BI (DESIGN.md §3, {@code GET /v1/stats}). */
public enum Counter {
    /** Images stored (sync uploads). */
    UPLOADS("uploads"),
    /** Bytes of those originals. */
    BYTES("bytes"),
    /** Images moderation blurred or rejected (at upload or re-moderation). */
    FLAGGED("flagged"),
    /** Variants rendered and stored in the generated bucket (bucket hits are not counted). */
    VARIANTS_GENERATED("variantsGenerated"),
    /** Variants the super-resolution endpoint rendered (Lanczos fallbacks are not counted). */
    SR_CALLS("srCalls");

    private final String field;

    Counter(String field) {
        this.field = field;
    }

    /** The name in JSON, CSV (snake_case of it) and the DynamoDB attribute. */
    public String field() {
        return field;
    }

    public String csvName() {
        return field.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
    }
}
