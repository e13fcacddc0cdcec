package io.imagescaler.spec;

import java.util.Locale;
import java.util.Optional;

/** Output (and stored) image formats, spelled as the variant path's extension. */
public enum ImageFormat {
    JPG("jpg", "image/jpeg"),
    PNG("png", "image/png"),
    WEBP("webp", "image/webp"),
    AVIF("avif", "image/avif"),
    GIF("gif", "image/gif");

    private final String extension;
    private final String mediaType;

    ImageFormat(String extension, String mediaType) {
        this.extension = extension;
        this.mediaType = mediaType;
    }

    public String extension() {
        return extension;
    }

    public String mediaType() {
        return mediaType;
    }

    /** Accepts the canonical extension and the common alias {@code jpeg}. */
    public static Optional<ImageFormat> fromExtension(String ext) {
        String e = ext.toLowerCase(Locale.ROOT);
        if (e.equals("jpeg")) {
            return Optional.of(JPG);
        }
        for (ImageFormat f : values()) {
            if (f.extension.equals(e)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
