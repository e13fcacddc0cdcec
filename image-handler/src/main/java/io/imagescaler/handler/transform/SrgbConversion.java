package io.imagescaler.handler.transform;

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
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * ICC → sRGB with the JDK's colour management, for both engines: which embedded profiles to convert
 * from, and the conversion of interleaved 8-bit samples (each engine only packs its pixels).
 */
public final class SrgbConversion {

    private SrgbConversion() {
    }

    /**
     * The colour space to convert from, read once from the embedded profile; empty when there is
     * nothing to do: no profile, an sRGB one (sRGB profiles name themselves so in their description,
     * ASCII in v2 'desc', UTF-16 in v4 'mluc'), a damaged one or a non-RGB one (the pixels are then
     * taken as sRGB).
     */
    public static Optional<ColorSpace> sourceOf(byte[] icc) {
        if (icc == null) {
            return Optional.empty();
        }
        ICC_Profile profile;
        try {
            profile = ICC_Profile.getInstance(icc);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        byte[] desc = profile.getData(ICC_Profile.icSigProfileDescriptionTag);
        boolean srgb = desc != null && (new String(desc, StandardCharsets.ISO_8859_1).contains("sRGB")
                || new String(desc, StandardCharsets.UTF_16BE).contains("sRGB"));
        if (srgb || profile.getColorSpaceType() != ColorSpace.TYPE_RGB) {
            return Optional.empty();
        }
        return Optional.of(new ICC_ColorSpace(profile));
    }

    /**
     * Whether an embedded profile asks for a conversion: an RGB profile that does not describe itself as
     * sRGB. Read from the profile's header and 'desc' tag alone (no colour-management classes loaded),
     * the same rule as {@link #sourceOf}: damaged, grey or sRGB profiles ask for nothing.
     */
    public static boolean needsConversion(byte[] icc) {
        if (icc == null || icc.length < 132 || !new String(icc, 16, 4, StandardCharsets.ISO_8859_1).equals("RGB ")) {
            return false;
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(icc);
        long tags = Integer.toUnsignedLong(b.getInt(128));
        for (long i = 0; i < tags && 132 + 12 * (i + 1) <= icc.length; i++) {
            int entry = (int) (132 + 12 * i);
            if (b.getInt(entry) == 0x64657363) { // 'desc'
                long offset = Integer.toUnsignedLong(b.getInt(entry + 4));
                long size = Integer.toUnsignedLong(b.getInt(entry + 8));
                if (offset + size > icc.length) {
                    return false;
                }
                String ascii = new String(icc, (int) offset, (int) size, StandardCharsets.ISO_8859_1);
                String utf16 = new String(icc, (int) offset, (int) size, StandardCharsets.UTF_16BE);
                return !ascii.contains("sRGB") && !utf16.contains("sRGB");
            }
        }
        return true;
    }

    /**
     * Converts {@code width x height} interleaved 3-byte samples from {@code from} to sRGB, in a new
     * array of the same layout; {@code bgr} says the byte order (OpenCV's) instead of RGB.
     */
    public static byte[] toSrgb(byte[] samples, int width, int height, ColorSpace from, boolean bgr) {
        ColorSpace srgb = ColorSpace.getInstance(ColorSpace.CS_sRGB);
        byte[] out = new byte[samples.length];
        BufferedImage src = new BufferedImage(model(from), raster(samples, width, height, bgr), false, null);
        BufferedImage dst = new BufferedImage(model(srgb), raster(out, width, height, bgr), false, null);
        new ColorConvertOp(from, srgb, null).filter(src, dst);
        return out;
    }

    private static ComponentColorModel model(ColorSpace cs) {
        return new ComponentColorModel(cs, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
    }

    private static WritableRaster raster(byte[] bytes, int w, int h, boolean bgr) {
        return Raster.createInterleavedRaster(new DataBufferByte(bytes, bytes.length), w, h, w * 3, 3,
                bgr ? new int[] {2, 1, 0} : new int[] {0, 1, 2}, null);
    }
}
