package io.imagescaler.handler.transform.portable;

import io.imagescaler.handler.transform.SrgbConversion;
import java.awt.color.ColorSpace;
import java.util.Optional;

/**
 * Converts the pixels from the embedded ICC profile to sRGB ({@link SrgbConversion}, shared with the
 * native pipeline), after shrink on load (the small image), exactly where and when the native pipeline
 * does; alpha is carried over untouched.
 */
final class ConvertToSrgb implements Step {

    @Override
    public String stage() {
        return "colour";
    }

    @Override
    public void apply(RenderJob job) {
        Optional<ColorSpace> from = job.colourManaged ? Optional.empty()
                : SrgbConversion.sourceOf(job.header.iccProfile());
        if (from.isEmpty()) {
            return;
        }
        job.pixels = convert(job.pixels, from.get());
        job.colourManaged = true;
    }

    static Pixels convert(Pixels p, ColorSpace from) {
        int[] argb = p.argb();
        byte[] rgb = new byte[argb.length * 3];
        for (int i = 0, j = 0; i < argb.length; i++, j += 3) {
            int v = argb[i];
            rgb[j] = (byte) (v >> 16);
            rgb[j + 1] = (byte) (v >> 8);
            rgb[j + 2] = (byte) v;
        }
        byte[] out = SrgbConversion.toSrgb(rgb, p.width(), p.height(), from, false);
        int[] converted = new int[argb.length];
        for (int i = 0, j = 0; i < argb.length; i++, j += 3) {
            converted[i] = (argb[i] & 0xff000000) | (out[j] & 0xff) << 16 | (out[j + 1] & 0xff) << 8 | out[j + 2] & 0xff;
        }
        return new Pixels(p.width(), p.height(), converted, p.alpha());
    }
}
