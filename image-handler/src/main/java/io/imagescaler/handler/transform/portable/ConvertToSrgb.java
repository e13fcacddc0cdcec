package io.imagescaler.handler.transform.portable;

import io.imagescaler.handler.transform.SrgbProfile;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * Converts the pixels from the embedded ICC profile to sRGB with the JDK's colour management, after
 * shrink on load (the small image), exactly where and when the native pipeline does: sRGB profiles,
 * damaged profiles and non-RGB profiles are left alone, and alpha is carried over untouched.
 */
final class ConvertToSrgb implements Step {

    @Override
    public String stage() {
        return "colour";
    }

    @Override
    public void apply(RenderJob job) {
        byte[] icc = job.header.iccProfile();
        if (job.colourManaged || icc == null || SrgbProfile.describes(icc)) {
            return;
        }
        ICC_Profile profile;
        try {
            profile = ICC_Profile.getInstance(icc);
        } catch (IllegalArgumentException e) {
            return;
        }
        if (profile.getColorSpaceType() != ColorSpace.TYPE_RGB) {
            return;
        }
        job.pixels = convert(job.pixels, new ICC_ColorSpace(profile));
        job.colourManaged = true;
    }

    static Pixels convert(Pixels p, ColorSpace from) {
        int w = p.width();
        int h = p.height();
        int[] argb = p.argb();
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0, j = 0; i < argb.length; i++, j += 3) {
            int v = argb[i];
            rgb[j] = (byte) (v >> 16);
            rgb[j + 1] = (byte) (v >> 8);
            rgb[j + 2] = (byte) v;
        }
        byte[] out = new byte[rgb.length];
        BufferedImage src = new BufferedImage(model(from), raster(rgb, w, h), false, null);
        BufferedImage dst = new BufferedImage(model(ColorSpace.getInstance(ColorSpace.CS_sRGB)), raster(out, w, h),
                false, null);
        new ColorConvertOp(from, ColorSpace.getInstance(ColorSpace.CS_sRGB), null).filter(src, dst);
        int[] converted = new int[argb.length];
        for (int i = 0, j = 0; i < argb.length; i++, j += 3) {
            converted[i] = (argb[i] & 0xff000000) | (out[j] & 0xff) << 16 | (out[j + 1] & 0xff) << 8 | out[j + 2] & 0xff;
        }
        return new Pixels(w, h, converted, p.alpha());
    }

    private static ComponentColorModel model(ColorSpace cs) {
        return new ComponentColorModel(cs, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
    }

    private static WritableRaster raster(byte[] bytes, int w, int h) {
        return Raster.createInterleavedRaster(new DataBufferByte(bytes, bytes.length), w, h, w * 3, 3,
                new int[] {0, 1, 2}, null);
    }
}
