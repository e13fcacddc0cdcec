package io.imagescaler.handler.transform.portable;

import io.imagescaler.handler.error.ImageScalerException.InvalidRequest;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes with the JDK's ImageIO writers (JPEG, PNG, GIF) and {@link LosslessWebp} for WebP, which no
 * pure-Java library on Maven Central writes. The writers are given pixels only, no metadata, so outputs
 * carry no EXIF, XMP, IPTC or GPS; the pixels are sRGB by now. Default quality 80 for JPEG (as the
 * native pipeline); WebP is lossless here, so quality does not apply to it.
 */
final class Encode implements Step {
    static final int DEFAULT_QUALITY = 80;
    /** ImageIO's PNG compression "quality" 0.33: zlib level 6, as the native pipeline's libpng setting. */
    static final float PNG_QUALITY = 1f / 3;

    @Override
    public String stage() {
        return "encode";
    }

    @Override
    public void apply(RenderJob job) {
        int quality = job.spec.quality() > 0 ? job.spec.quality() : DEFAULT_QUALITY;
        Pixels p = job.pixels;
        job.encoded = switch (job.format) {
            case JPG -> write("jpeg", bgr(p), quality / 100f);
            case PNG -> write("png", wrap(p), PNG_QUALITY);
            case GIF -> write("gif", wrap(p), -1);
            case WEBP -> LosslessWebp.encode(p);
            default -> throw new InvalidRequest("output format " + job.format.extension()
                    + " is not available in this build (no AVIF encoder ships in a Maven Central jar here):"
                    + " ask for jpg, png, webp or gif");
        };
    }

    /** The pixels as an INT_RGB or INT_ARGB image, sharing the array (no copy). */
    private static BufferedImage wrap(Pixels p) {
        BufferedImage image = new BufferedImage(p.width(), p.height(),
                p.alpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] target = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        System.arraycopy(p.argb(), 0, target, 0, target.length);
        return image;
    }

    /** The JPEG writer's native layout (3 bytes, BGR): it converts nothing on the way. */
    private static BufferedImage bgr(Pixels p) {
        BufferedImage image = new BufferedImage(p.width(), p.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] target = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int[] src = p.argb();
        for (int i = 0, j = 0; i < src.length; i++, j += 3) {
            int v = src[i];
            target[j] = (byte) v;
            target[j + 1] = (byte) (v >> 8);
            target[j + 2] = (byte) (v >> 16);
        }
        return image;
    }

    private static byte[] write(String format, BufferedImage image, float quality) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
        if (!writers.hasNext()) {
            throw new IllegalStateException("no ImageIO writer for " + format);
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // In memory: ImageIO's default for a stream is a temporary file (ImageIO.getUseCache()).
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (quality >= 0 && param.canWriteCompressed()) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("the " + format + " encoder failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
