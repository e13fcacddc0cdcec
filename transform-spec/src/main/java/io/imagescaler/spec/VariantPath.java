package io.imagescaler.spec;

import java.util.Optional;

/**
 * The last segment of a variant path, {@code {transform}.{fmt}}: a parsed transform and either a
 * concrete format or {@code auto} (which the edge rewrites from {@code Accept} before any lookup).
 */
public record VariantPath(TransformSpec transform, Optional<ImageFormat> format) {

    public static final String AUTO = "auto";

    /** Parses {@code w_800,fit_cover.webp} or {@code p_thumb.auto}. */
    public static VariantPath parse(String lastSegment) {
        int dot = lastSegment.lastIndexOf('.');
        if (dot <= 0 || dot == lastSegment.length() - 1) {
            throw new InvalidTransformException(lastSegment,
                    "a variant is {transform}.{format}, e.g. w_800.webp");
        }
        String ext = lastSegment.substring(dot + 1);
        TransformSpec spec = TransformSpec.parse(lastSegment.substring(0, dot));
        if (ext.equals(AUTO)) {
            return new VariantPath(spec, Optional.empty());
        }
        ImageFormat fmt = ImageFormat.fromExtension(ext).orElseThrow(() -> new InvalidTransformException(ext,
                "unknown format '" + ext + "': expected jpg, png, webp, avif, gif or auto"));
        return new VariantPath(spec, Optional.of(fmt));
    }

    /** The canonical spelling, e.g. {@code w_800,fit_cover.webp}. */
    public String canonical() {
        return transform.canonical() + "." + format.map(ImageFormat::extension).orElse(AUTO);
    }
}
