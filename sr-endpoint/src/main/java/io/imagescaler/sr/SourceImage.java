package io.imagescaler.sr;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;

/**
 * An invocation's input image as the network wants it: planar RGB floats in 0..1 in a native-order direct
 * buffer (which ONNX Runtime wraps as the input tensor without a copy), plus the alpha plane
 * when the image has real transparency (the network only knows RGB; alpha is enlarged separately).
 * Size limits are checked from the image header, before any pixel is decoded.
 */
public record SourceImage(String format, int width, int height, FloatBuffer chw, byte[] alpha) {

    private static final Set<String> ACCEPTED = Set.of("png", "jpeg", "webp");

    static {
        ImageIO.setUseCache(false); // decode in memory: no temp files under load
    }

    public boolean hasAlpha() {
        return alpha != null;
    }

    /**
     * @param maxPixels       largest width × height accepted
     * @param maxOutputPixels largest width × height × scale² accepted
     */
    public static SourceImage decode(byte[] body, int scale, long maxPixels, long maxOutputPixels) {
        if (body.length == 0) throw new InvocationProblem.InvalidImage("the request body is empty", null);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(body))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext())
                throw new InvocationProblem.InvalidImage("the body is not a PNG, JPEG or WebP image", null);
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (!ACCEPTED.contains(format))
                    throw new InvocationProblem.InvalidImage("the body is " + format + "; only PNG, JPEG or WebP are accepted", null);
                reader.setInput(in, true, true);
                int width = reader.getWidth(0), height = reader.getHeight(0);
                long pixels = (long) width * height;
                if (width <= 0 || height <= 0)
                    throw new InvocationProblem.InvalidImage("the image header gives no size", null);
                if (pixels > maxPixels)
                    throw new InvocationProblem.PayloadTooLarge("the image is " + width + "x" + height + " = " + pixels
                            + " pixels; at most " + maxPixels + " are accepted");
                if (pixels * scale * scale > maxOutputPixels)
                    throw new InvocationProblem.PayloadTooLarge("a " + width + "x" + height + " image at scale " + scale
                            + " gives " + pixels * scale * scale + " output pixels; at most " + maxOutputPixels + " are allowed");
                BufferedImage image = reader.read(0);
                return fromImage(format, image);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvocationProblem p) throw p;
            throw new InvocationProblem.InvalidImage("the image cannot be decoded (truncated or corrupt): "
                    + e.getClass().getSimpleName(), e);
        }
    }

    public static SourceImage fromImage(String format, BufferedImage image) {
        int w = image.getWidth(), h = image.getHeight(), n = w * h;
        FloatBuffer chw = EsrganModel.direct(3 * n);
        byte[] alpha = null;
        Raster raster = image.getRaster();
        boolean gray = image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        boolean hasAlpha = image.getColorModel().hasAlpha();
        if (gray) {
            // getRGB would treat the grey samples as linear light and brighten them; they are sRGB-coded
            float max = (1 << image.getColorModel().getComponentSize(0)) - 1;
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    float v = row[x] / max;
                    chw.put(y * w + x, v);
                    chw.put(n + y * w + x, v);
                    chw.put(2 * n + y * w + x, v);
                }
            }
            if (hasAlpha) {
                float amax = (1 << image.getColorModel().getComponentSize(1)) - 1;
                alpha = new byte[n];
                for (int y = 0; y < h; y++) {
                    raster.getSamples(0, y, w, 1, 1, row);
                    for (int x = 0; x < w; x++) alpha[y * w + x] = (byte) Math.round(row[x] / amax * 255);
                }
            }
        } else if ((image.getType() == BufferedImage.TYPE_3BYTE_BGR || image.getType() == BufferedImage.TYPE_4BYTE_ABGR)
                && raster.getParent() == null && raster.getDataBuffer().getSize() == n * (hasAlpha ? 4 : 3)) {
            // what ImageIO's PNG and JPEG readers give for 8-bit colour: read the samples, skip getRGB's per-pixel colour model
            byte[] data = ((DataBufferByte) raster.getDataBuffer()).getData();
            int stride = hasAlpha ? 4 : 3, o = hasAlpha ? 1 : 0;
            if (hasAlpha) alpha = new byte[n];
            for (int i = 0, p = 0; i < n; i++, p += stride) {
                chw.put(i, (data[p + o + 2] & 0xff) / 255f);
                chw.put(n + i, (data[p + o + 1] & 0xff) / 255f);
                chw.put(2 * n + i, (data[p + o] & 0xff) / 255f);
                if (hasAlpha) alpha[i] = data[p];
            }
        } else {
            int[] row = new int[w];
            if (hasAlpha) alpha = new byte[n];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int p = row[x], i = y * w + x;
                    chw.put(i, ((p >> 16) & 0xff) / 255f);
                    chw.put(n + i, ((p >> 8) & 0xff) / 255f);
                    chw.put(2 * n + i, (p & 0xff) / 255f);
                    if (alpha != null) alpha[i] = (byte) (p >>> 24);
                }
            }
        }
        if (alpha != null && isOpaque(alpha)) alpha = null;
        return new SourceImage(format, w, h, chw, alpha);
    }

    private static boolean isOpaque(byte[] alpha) {
        for (byte a : alpha) if (a != (byte) 0xff) return false;
        return true;
    }
}
