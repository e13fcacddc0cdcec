package io.imagescaler.handler.transform.portable;

import io.imagescaler.handler.error.ImageScalerException.CorruptImage;
import io.imagescaler.handler.error.ImageScalerException.UnsupportedImage;
import io.imagescaler.handler.transform.Geometry;
import io.imagescaler.handler.transform.SourceFormat;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import io.imagescaler.handler.transform.probe.Header;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes with ImageIO and the TwelveMonkeys plugins (JPEG incl. CMYK/YCCK, WebP, TIFF, BMP; the JDK's
 * PNG and GIF), first frame only. JPEG is read with source subsampling, by the native pipeline's rule
 * (the biggest of 8, 4, 2 that still leaves {@link #MIN_RESIDUAL} times the resized size) with one
 * difference: ImageIO subsampling keeps every n-th pixel where libjpeg-turbo's scaled IDCT averages, and
 * keeping 1 pixel in 16 aliases visibly (SSIM 0.965 against the native engine for a 12 MP photo bound
 * for 200x200, 0.98 with 1 in 4). So the factor stays at 2 unless the decoded image would exceed
 * {@link #MAX_DECODED_PIXELS}. ImageIO decodes every pixel either way; subsampling saves memory, not
 * time. The other formats decode at full size, as in the native pipeline.
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

    /** The most pixels a JPEG is decoded to (100 MB of ARGB) before subsampling goes past 2. */
    static final long MAX_DECODED_PIXELS = 25_000_000L;

    /** The native rule's factor, at most 2 while the decoded image stays within {@link #MAX_DECODED_PIXELS}. */
    static int factor(RenderJob job) {
        int w = job.header.info().width();
        int h = job.header.info().height();
        int largest = nativeFactor(job);
        for (int d = Math.min(2, largest); d < largest; d *= 2) {
            if ((long) ceilDiv(w, d) * ceilDiv(h, d) <= MAX_DECODED_PIXELS) {
                return d;
            }
        }
        return largest;
    }

    /** The largest of 8, 4, 2, 1 that decodes at least {@link #MIN_RESIDUAL} times the resized size. */
    static int nativeFactor(RenderJob job) {
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
        // Straight over the request's bytes (no copy, no temporary file), or streamed from the file.
        try (ImageInputStream in = job.file != null ? new FileImageInputStream(job.file.toFile())
                : new ByteArrayImageInputStream(job.source)) {
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
