package io.imagescaler.handler.transform;

/**
 * Brings the pixels to 8-bit sRGB, after shrink on load (the small image is converted, not the big
 * one), and only when there is something to do: an embedded profile that is not sRGB (Adobe RGB,
 * Display P3, ProPhoto, any CMYK one), CMYK without a profile (a default CMYK profile), 16-bit samples.
 * 8-bit sRGB or untagged RGB and grey pass untouched: no colour transform for what is already sRGB.
 */
final class ConvertToSrgb implements Step {

    @Override
    public String stage() {
        return "colour";
    }

    @Override
    public void apply(RenderJob job) {
        Canvas c = job.canvas;
        Canvas.Storage storage = c.storage();
        byte[] icc = c.iccProfile();
        if (storage == Canvas.Storage.CMYK || (icc != null && SrgbConversion.needsConversion(icc))) {
            job.canvas = c.toSrgb(Canvas.From.PROFILE);
        } else if (storage != Canvas.Storage.SRGB8 && storage != Canvas.Storage.GREY8) {
            job.canvas = c.toSrgb(Canvas.From.DEPTH);
        }
    }
}
