package io.imagescaler.spec;

/**
 * Reads like a sentence and prints exactly one canonical URL path:
 * {@code Variant.of(id).width(800).fit(Fit.COVER).format(ImageFormat.WEBP).path()}.
 */
public final class Variant {
    /** Where the API is mounted, as the viewer sees it through CloudFront. */
    public static final String API_PREFIX = "/v1/images/";

    private final ImageId id;
    private final TransformSpec.Builder spec;
    private ImageFormat format;

    private Variant(ImageId id, TransformSpec.Builder spec) {
        this.id = id;
        this.spec = spec;
    }

    public static Variant of(ImageId id) {
        return new Variant(id, TransformSpec.builder());
    }

    public static Variant of(String id) {
        return of(new ImageId(id));
    }

    public Variant width(int w) { spec.width(w); return this; }
    public Variant height(int h) { spec.height(h); return this; }
    public Variant fit(Fit f) { spec.fit(f); return this; }
    public Variant position(Position p) { spec.position(p); return this; }
    public Variant dpr(double d) { spec.dpr(d); return this; }
    public Variant quality(int q) { spec.quality(q); return this; }
    public Variant upscale(Upscale u) { spec.upscale(u); return this; }
    public Variant background(String hex) { spec.background(hex); return this; }
    public Variant blur(double sigma) { spec.blur(sigma); return this; }
    public Variant sharpen(double sigma) { spec.sharpen(sigma); return this; }
    public Variant gray() { spec.gray(true); return this; }
    public Variant rotate(int degrees) { spec.rotate(degrees); return this; }
    public Variant flip() { spec.flip(true); return this; }
    public Variant flop() { spec.flop(true); return this; }
    public Variant preset(String name) { spec.preset(name); return this; }

    /** A concrete format; leave unset for {@code auto} (negotiated from Accept at the edge). */
    public Variant format(ImageFormat f) { format = f; return this; }

    public TransformSpec transform() {
        return spec.build();
    }

    /** {@code /v1/images/{id}/{canonical}.{fmt}} */
    public String path() {
        return API_PREFIX + id.value() + "/" + transform().canonical() + "."
                + (format == null ? VariantPath.AUTO : format.extension());
    }

    /** The generated-bucket key this variant is stored under; {@code auto} has none (the edge picks first). */
    public String storageKey() {
        if (format == null) {
            throw new IllegalStateException("an auto variant has no storage key until a format is chosen");
        }
        return id.value() + "/" + transform().canonical() + "." + format.extension();
    }

    @Override
    public String toString() {
        return path();
    }
}
