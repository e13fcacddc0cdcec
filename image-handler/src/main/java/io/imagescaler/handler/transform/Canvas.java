package io.imagescaler.handler.transform;

import io.imagescaler.spec.ImageFormat;

/**
 * An image inside a {@link Backend}, and the few pixel primitives the pipeline's steps are made of.
 * Each primitive returns a new canvas (libvips builds them lazily and computes the whole chain when
 * the result is encoded); the step decides whether and how to call it.
 */
public interface Canvas {

    int width();

    int height();

    boolean hasAlpha();

    /** How the decoded pixels are stored, which decides what {@link #toSrgb} has to do. */
    enum Storage { SRGB8, SRGB16, GREY8, GREY16, CMYK, OTHER }

    Storage storage();

    /** The embedded ICC profile, or null; null too when the decoder already applied it. */
    byte[] iccProfile();

    /** What {@link #toSrgb} converts from. */
    enum From {
        /** The embedded profile (CMYK: the embedded one, else a default CMYK profile). */
        PROFILE,
        /** No profile to apply: only the sample depth or colour space changes (16-bit, CMYK without profile). */
        DEPTH
    }

    /** 8-bit sRGB (or 8-bit grey for grey input), alpha kept. */
    Canvas toSrgb(From from);

    /** Resizes to exactly {@code width x height}: area/Lanczos reduction, Lanczos enlargement, alpha premultiplied. */
    Canvas resize(int width, int height);

    /** Rotates clockwise by 90, 180 or 270 degrees. */
    Canvas rotate(int degrees);

    /** Mirrors left to right ({@code horizontal}) or top to bottom. */
    Canvas flip(boolean horizontal);

    Canvas crop(CropWindow window);

    /** The attention measure for {@code pos_smart}: the top-left corner {x, y} of the most interesting window. */
    int[] mostInteresting(int width, int height);

    /** Places the image at (left, top) on a {@code width x height} canvas filled with {@code background}. */
    Canvas embed(int left, int top, int width, int height, Background background);

    Canvas blur(double sigma);

    /** Unsharp mask of radius about one pixel with the given amount. */
    Canvas sharpen(double amount);

    /** Luma only; alpha kept. */
    Canvas grayscale();

    /** Composites transparent pixels over an opaque background and drops alpha. */
    Canvas flatten(Background background);

    byte[] encode(ImageFormat format, int quality);
}
