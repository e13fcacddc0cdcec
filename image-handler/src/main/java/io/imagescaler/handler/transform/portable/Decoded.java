package io.imagescaler.handler.transform.portable;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;

/**
 * Turns whatever ImageIO returned into {@link Pixels}, as the native pipeline's pixel layout does:
 * 16-bit samples are reduced with rounding (v / 257), grey becomes RGB with the same values (no gamma:
 * grey PNG samples are sRGB-encoded, whatever Java2D's linear grey space says), palettes are expanded.
 * An image whose colour model is another RGB space (a reader that applied an ICC profile) is converted
 * to sRGB here, and says so.
 */
record Decoded(Pixels pixels, boolean converted) {

    static Decoded from(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        boolean alpha = cm.hasAlpha();
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && cm instanceof ComponentColorModel
                && !cm.isAlphaPremultiplied()) {
            return new Decoded(grey(raster, cm, w, h, alpha), false);
        }
        if (cm instanceof ComponentColorModel && cm.getColorSpace().getType() == ColorSpace.TYPE_RGB
                && !cm.isAlphaPremultiplied()) {
            if (!cm.getColorSpace().isCS_sRGB()) {
                return new Decoded(toSrgb(image, alpha), true);
            }
            if (raster.getNumBands() == (alpha ? 4 : 3)) {
                return new Decoded(rgb(raster, cm, w, h, alpha), false);
            }
        }
        if (cm instanceof DirectColorModel && cm.getColorSpace().isCS_sRGB()
                && raster.getDataBuffer() instanceof DataBufferInt
                && (image.getType() == BufferedImage.TYPE_INT_RGB || image.getType() == BufferedImage.TYPE_INT_ARGB)) {
            int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
            return new Decoded(new Pixels(w, h, argb, alpha), false);
        }
        // Palettes, packed and other models: Java2D's own conversion to sRGB ARGB.
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        return new Decoded(new Pixels(w, h, argb, alpha), !cm.getColorSpace().isCS_sRGB());
    }

    private static Pixels grey(Raster raster, ColorModel cm, int w, int h, boolean alpha) {
        int[] v = raster.getSamples(0, 0, w, h, 0, (int[]) null);
        int[] a = alpha ? raster.getSamples(0, 0, w, h, 1, (int[]) null) : null;
        int grey = cm.getComponentSize(0);
        int[] out = new int[w * h];
        for (int i = 0; i < out.length; i++) {
            int g = to8(v[i], grey);
            out[i] = Pixels.pack(alpha ? to8(a[i], cm.getComponentSize(1)) : 255, g, g, g);
        }
        return new Pixels(w, h, out, alpha);
    }

    private static Pixels rgb(Raster raster, ColorModel cm, int w, int h, boolean alpha) {
        int[] out = new int[w * h];
        if (raster.getDataBuffer() instanceof DataBufferByte bytes
                && raster.getSampleModel() instanceof PixelInterleavedSampleModel sm
                && raster.getParent() == null && bytes.getNumBanks() == 1
                && sm.getPixelStride() == (alpha ? 4 : 3) && sm.getScanlineStride() == w * sm.getPixelStride()) {
            // The common case (JPEG, 8-bit PNG and WebP): read the interleaved bytes directly.
            byte[] d = bytes.getData();
            int[] off = sm.getBandOffsets();
            int stride = sm.getPixelStride();
            int base = bytes.getOffset();
            for (int i = 0, p = base; i < out.length; i++, p += stride) {
                out[i] = Pixels.pack(alpha ? d[p + off[3]] & 0xff : 255, d[p + off[0]] & 0xff,
                        d[p + off[1]] & 0xff, d[p + off[2]] & 0xff);
            }
            return new Pixels(w, h, out, alpha);
        }
        int[][] bands = new int[alpha ? 4 : 3][];
        for (int b = 0; b < bands.length; b++) {
            bands[b] = raster.getSamples(0, 0, w, h, b, (int[]) null);
        }
        int bits = cm.getComponentSize(0);
        for (int i = 0; i < out.length; i++) {
            out[i] = Pixels.pack(alpha ? to8(bands[3][i], cm.getComponentSize(3)) : 255, to8(bands[0][i], bits),
                    to8(bands[1][i], bits), to8(bands[2][i], bits));
        }
        return new Pixels(w, h, out, alpha);
    }

    /** Another RGB space (Adobe RGB, Display P3 ... as the reader's colour model): the JDK CMM to sRGB. */
    private static Pixels toSrgb(BufferedImage image, boolean alpha) {
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage target = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        new ColorConvertOp(image.getColorModel().getColorSpace(), ColorSpace.getInstance(ColorSpace.CS_sRGB), null)
                .filter(image, target);
        int[] argb = ((DataBufferInt) target.getRaster().getDataBuffer()).getData();
        if (!alpha) {
            for (int i = 0; i < argb.length; i++) {
                argb[i] |= 0xff000000;
            }
        }
        return new Pixels(w, h, argb, alpha && image.getColorModel().getTransparency() != Transparency.OPAQUE);
    }

    /** A sample of {@code bits} bits to 8 bits, rounded (16-bit: v / 257, as the native pipeline). */
    static int to8(int v, int bits) {
        if (bits == 8) {
            return v;
        }
        int max = (1 << bits) - 1;
        return (int) ((v * 255L + max / 2) / max);
    }
}
