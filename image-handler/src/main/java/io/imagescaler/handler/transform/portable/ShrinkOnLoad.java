package io.imagescaler.handler.transform.portable;

import io.imagescaler.handler.error.ImageScalerException.CorruptImage;
import io.imagescaler.handler.error.ImageScalerException.UnsupportedImage;
import io.imagescaler.handler.transform.Geometry;
import io.imagescaler.handler.transform.SourceFormat;
import io.imagescaler.handler.transform.probe.Header;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes with ImageIO and the TwelveMonkeys plugins (JPEG incl. CMYK/YCCK, WebP, TIFF, BMP; the JDK's
 * PNG and GIF), first frame only. JPEG is read with source subsampling (every 2nd, 4th or 8th pixel),
 * by the native pipeline's rule: the biggest factor that still leaves {@link #MIN_RESIDUAL} times the
 * resized size, so the area resize after it averages away what subsampling skips. The other formats
 * decode at full size, as in the native pipeline.
 */
final class ShrinkOnLoad implements Step {

    /** The native {@code ShrinkOnLoad.MIN_RESIDUAL} (a test keeps the two equal). */
    static final double MIN_RESIDUAL = 2.5;

    @Override
    public String stage() {
        return "decode";
    }

    @Override
    public void apply(RenderJob job) {
        Header header = job.header;
        int factor = header.format() == SourceFormat.JPEG ? factor(job) : 1;
        BufferedImage image = read(job, factor);
        Decoded decoded = Decoded.from(image);
        job.pixels = decoded.pixels();
        // As the native pipeline: what ImageIO decodes as CMYK, GIF, TIFF or BMP is taken as sRGB; a
        // reader that returned the embedded profile as its colour model has been converted from it.
        job.colourManaged = decoded.converted() || header.cmyk() || header.format() == SourceFormat.GIF
                || header.format() == SourceFormat.TIFF || header.format() == SourceFormat.BMP;
    }

    /** The largest of 8, 4, 2, 1 that decodes at least {@link #MIN_RESIDUAL} times the resized size. */
    static int factor(RenderJob job) {
        int w = job.header.info().displayWidth();
        int h = job.header.info().displayHeight();
        Geometry g = job.geometry;
        for (int d = 8; d > 1; d /= 2) {
            if (ceilDiv(w, d) >= MIN_RESIDUAL * g.scaledWidth() && ceilDiv(h, d) >= MIN_RESIDUAL * g.scaledHeight()) {
                return d;
            }
        }
        return 1;
    }

    private static BufferedImage read(RenderJob job, int subsampling) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(job.source))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new UnsupportedImage("no decoder for this " + job.header.format() + " variant");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                ImageReadParam param = reader.getDefaultReadParam();
                if (subsampling > 1) {
                    param.setSourceSubsampling(subsampling, subsampling, 0, 0);
                }
                BufferedImage image = reader.read(0, param);
                if (image == null || image.getWidth() < 1 || image.getHeight() < 1) {
                    throw new CorruptImage("the " + job.header.format() + " pixels could not be decoded", null);
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (UnsupportedImage | CorruptImage e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CorruptImage("the " + job.header.format() + " pixels could not be decoded", e);
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
