package io.imagescaler.spec;

/** Whether, and how, a variant may have more pixels than its original. */
public enum Upscale {
    /** Never enlarge (the default): the output is capped at the source's size. */
    NONE,
    /** Enlarge with a Lanczos filter. */
    LANCZOS,
    /** Enlarge with the super-resolution endpoint (Lanczos if it is unavailable). */
    SR;

    String token() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
