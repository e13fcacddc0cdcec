package io.imagescaler.spec;

/** How the source is fitted into a width x height box (sharp's names). */
public enum Fit {
    /** Keep aspect ratio, both sides within the box (the default). */
    INSIDE,
    /** Keep aspect ratio, fill the box, crop the overflow around the position. */
    COVER,
    /** Keep aspect ratio, fit inside, pad to the exact box with the background colour. */
    CONTAIN,
    /** Ignore aspect ratio, stretch to the exact box. */
    FILL;

    String token() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
