package io.imagescaler.handler.transform;

import java.util.Locale;
import java.util.Optional;

/**
 * How hard libvips' lossy encoders search for a smaller file at the quality asked for: WebP 0–6 and AVIF
 * 0–9, lowest fastest ({@code WEBP_EFFORT}, {@code AVIF_EFFORT}). The default, 4 for both, is sharp's.
 * Lower AVIF effort is the one setting that makes a first render much faster for a few per cent more
 * bytes on every view (README, Benchmarks: effort 3 — aom speed 6, {@code avifenc}'s default — took 0.31x
 * the time for 2.4–2.6% more bytes over the bench's six photos): a deployment's choice, not a default.
 * The pure-Java fallback writes lossless WebP and no AVIF, so these do not apply to it.
 */
public record EncoderEffort(int webp, int avif) {

    public static final EncoderEffort DEFAULT = new EncoderEffort(4, 4);
    private static final int WEBP_MAX = 6;
    private static final int AVIF_MAX = 9;

    public EncoderEffort {
        check("WEBP_EFFORT", webp, WEBP_MAX);
        check("AVIF_EFFORT", avif, AVIF_MAX);
    }

    /** From the two settings' text, either absent for its default; the range is checked by the constructor. */
    public static EncoderEffort parse(Optional<String> webp, Optional<String> avif) {
        return new EncoderEffort(webp.map(v -> number("WEBP_EFFORT", v, WEBP_MAX)).orElse(DEFAULT.webp()),
                avif.map(v -> number("AVIF_EFFORT", v, AVIF_MAX)).orElse(DEFAULT.avif()));
    }

    private static int number(String name, String value, int max) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(message(name, value, max));
        }
    }

    private static void check(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(message(name, Integer.toString(value), max));
        }
    }

    private static String message(String name, String value, int max) {
        return String.format(Locale.ROOT, "configuration: %s is 0 (fastest) to %d (smallest files), got '%s'", name,
                max, value);
    }

    @Override
    public String toString() {
        return "WebP effort " + webp + ", AVIF effort " + avif;
    }
}
