package io.imagescaler.handler.transform.portable;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import io.imagescaler.handler.error.ImageScalerException.CorruptImage;
import io.imagescaler.handler.error.ImageScalerException.UnsupportedImage;
import io.imagescaler.handler.transform.Backend;
import io.imagescaler.handler.transform.Canvas;
import io.imagescaler.handler.transform.SourceFormat;
import io.imagescaler.handler.transform.probe.Header;
import io.imagescaler.spec.ImageFormat;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;

/**
 * The fallback backend, pure Java, for where no native library loads: ImageIO with the TwelveMonkeys
 * decoders (JPEG incl. CMYK/YCCK, WebP, TIFF, BMP) and the JDK's PNG/GIF, imgscalr for turns and mirrors,
 * and this package's resampler, blur and lossless WebP writer. Slower, no AVIF, no animation, WebP is
 * lossless; its output is not final ({@link #finalOutput}): it is neither stored nor cached for long.
 */
public final class JavaBackend implements Backend {

    private static final Set<ImageFormat> ENCODES = EnumSet.of(ImageFormat.JPG, ImageFormat.PNG, ImageFormat.WEBP,
            ImageFormat.GIF);

    /** The most pixels a JPEG is decoded to (100 MB of ARGB) before subsampling goes past 2. */
    static final long MAX_DECODED_PIXELS = 25_000_000L;

    @Override
    public String name() {
        return "pure-Java engine (ImageIO + TwelveMonkeys + imgscalr, lossless WebP)";
    }

    @Override
    public Set<ImageFormat> encodes() {
        return ENCODES;
    }

    @Override
    public boolean finalOutput() {
        return false;
    }

    @Override
    public boolean animates() {
        return false;
    }

    @Override
    public Session session() {
        return () -> { };
    }

    /**
     * JPEG subsampled while reading (ImageIO's source subsampling: the pipeline's factor, but at most 2
     * while the decoded image stays within {@link #MAX_DECODED_PIXELS}: subsampling skips pixels, it does
     * not average them), straight over the request's bytes or streamed from the file.
     */
    @Override
    public Loaded load(Session session, byte[] source, Path file, Header header, int shrink, boolean allFrames) {
        if (header.format() == SourceFormat.AVIF) {
            throw new UnsupportedImage("AVIF input needs the native engine (libvips), which does not load here");
        }
        int factor = header.format() == SourceFormat.JPEG ? subsampling(header, shrink) : 1;
        Decoded decoded = Decoded.from(read(source, file, header, factor));
        // What ImageIO decodes as CMYK, GIF, TIFF or BMP is taken as sRGB; a reader that returned the
        // embedded profile as its colour model has been converted from it already.
        boolean managed = decoded.converted() || header.cmyk() || header.format() == SourceFormat.GIF
                || header.format() == SourceFormat.TIFF || header.format() == SourceFormat.BMP;
        return new Loaded(List.of(new JavaCanvas(decoded.pixels(), managed ? null : header.iccProfile())), null, 0);
    }

    static int subsampling(Header header, int shrink) {
        long w = header.info().width();
        long h = header.info().height();
        for (int d = Math.min(2, shrink); d < shrink; d *= 2) {
            if (ceilDiv(w, d) * ceilDiv(h, d) <= MAX_DECODED_PIXELS) {
                return d;
            }
        }
        return shrink;
    }

    private static BufferedImage read(byte[] source, Path file, Header header, int subsampling) {
        try (ImageInputStream in = file != null ? new FileImageInputStream(file.toFile())
                : new ByteArrayImageInputStream(source)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new UnsupportedImage("no decoder for this " + header.format() + " variant");
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
                    throw new CorruptImage("the " + header.format() + " pixels could not be decoded", null);
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (UnsupportedImage | CorruptImage e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CorruptImage("the " + header.format() + " pixels could not be decoded", e);
        }
    }

    @Override
    public byte[] encodeAnimation(List<Canvas> frames, int[] delays, int loops, ImageFormat format, int quality) {
        throw new IllegalStateException("the pure-Java backend serves an animation's first frame (animates() is false)");
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    @Override
    public String toString() {
        return name();
    }
}
