package io.imagescaler.handler.transform;

/** Formats an original may have, as recognised from its magic bytes. */
public enum SourceFormat {
    JPEG("image/jpeg"),
    PNG("image/png"),
    GIF("image/gif"),
    WEBP("image/webp"),
    AVIF("image/avif"),
    TIFF("image/tiff"),
    BMP("image/bmp");

    private final String mediaType;

    SourceFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }
}
