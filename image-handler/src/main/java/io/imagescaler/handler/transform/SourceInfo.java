package io.imagescaler.handler.transform;

/**
 * What an original's header says, read without decoding a pixel: the real type (from magic bytes),
 * the stored dimensions, the displayed dimensions after EXIF orientation, and the frame count.
 */
public record SourceInfo(SourceFormat format, int width, int height, int frames, int orientation, boolean hasAlpha) {

    public long pixels() {
        return (long) width * height;
    }

    /** Width as displayed (orientations 5–8 swap the sides). */
    public int displayWidth() {
        return orientation >= 5 ? height : width;
    }

    /** Height as displayed (orientations 5–8 swap the sides). */
    public int displayHeight() {
        return orientation >= 5 ? width : height;
    }
}
