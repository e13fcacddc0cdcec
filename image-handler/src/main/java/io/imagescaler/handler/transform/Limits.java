package io.imagescaler.handler.transform;

/** Work limits checked before the work they guard (pixel and frame limits before any decoding). */
public record Limits(long maxSourcePixels, int maxFrames, int maxOutputSide) {

    public static final Limits DEFAULT = new Limits(50_000_000L, 100, 8192);
}
