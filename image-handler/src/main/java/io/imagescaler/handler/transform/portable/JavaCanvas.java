package io.imagescaler.handler.transform.portable;

import io.imagescaler.handler.transform.Background;
import io.imagescaler.handler.transform.Canvas;
import io.imagescaler.handler.transform.CropWindow;
import io.imagescaler.handler.transform.SrgbConversion;
import io.imagescaler.spec.ImageFormat;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.imgscalr.Scalr;

/**
 * The pure-Java canvas: 8-bit sRGB {@link Pixels} in the heap; each primitive makes new pixels at once.
 *
 * @param icc the embedded profile still to apply, or null when the decoder applied it (or there is none)
 */
record JavaCanvas(io.imagescaler.handler.transform.portable.Pixels p, byte[] icc) implements Canvas {
    /** ImageIO's PNG compression "quality" 0.33: zlib level 6, the native encoder's setting. */
    static final float PNG_QUALITY = 1f / 3;

    private JavaCanvas with(Pixels next) {
        return new JavaCanvas(next, icc);
    }

    @Override
    public int width() {
        return p.width();
    }

    @Override
    public int height() {
        return p.height();
    }

    @Override
    public boolean hasAlpha() {
        return p.alpha();
    }

    @Override
    public Storage storage() {
        return Storage.SRGB8;
    }

    @Override
    public byte[] iccProfile() {
        return icc;
    }

    /** The decoder already brought depth and CMYK to 8-bit sRGB; only an RGB profile is left to apply. */
    @Override
    public Canvas toSrgb(From from) {
        Optional<ColorSpace> source = SrgbConversion.sourceOf(icc);
        if (source.isEmpty()) {
            return new JavaCanvas(p, null);
        }
        int[] argb = p.argb();
        byte[] rgb = new byte[argb.length * 3];
        for (int i = 0, j = 0; i < argb.length; i++, j += 3) {
            int v = argb[i];
            rgb[j] = (byte) (v >> 16);
            rgb[j + 1] = (byte) (v >> 8);
            rgb[j + 2] = (byte) v;
        }
        byte[] out = SrgbConversion.toSrgb(rgb, p.width(), p.height(), source.get(), false);
        int[] converted = new int[argb.length];
        for (int i = 0, j = 0; i < argb.length; i++, j += 3) {
            converted[i] = (argb[i] & 0xff000000) | (out[j] & 0xff) << 16 | (out[j + 1] & 0xff) << 8 | out[j + 2] & 0xff;
        }
        return new JavaCanvas(new Pixels(p.width(), p.height(), converted, p.alpha()), null);
    }

    @Override
    public Canvas resize(int width, int height) {
        return with(Resize.resize(p, width, height));
    }

    @Override
    public Canvas rotate(int degrees) {
        return with(turn(switch (degrees) {
            case 90 -> Scalr.Rotation.CW_90;
            case 180 -> Scalr.Rotation.CW_180;
            case 270 -> Scalr.Rotation.CW_270;
            default -> throw new IllegalArgumentException("rotation by " + degrees);
        }));
    }

    @Override
    public Canvas flip(boolean horizontal) {
        return with(turn(horizontal ? Scalr.Rotation.FLIP_HORZ : Scalr.Rotation.FLIP_VERT));
    }

    /** imgscalr's exact quarter turns and mirrors, on an INT_ARGB/INT_RGB image sharing nothing with ours. */
    private Pixels turn(Scalr.Rotation rotation) {
        BufferedImage turned = Scalr.rotate(wrap(p), rotation);
        int[] argb = turned.getRGB(0, 0, turned.getWidth(), turned.getHeight(), null, 0, turned.getWidth());
        turned.flush();
        return new Pixels(turned.getWidth(), turned.getHeight(), argb, p.alpha());
    }

    @Override
    public Canvas crop(CropWindow w) {
        int[] out = new int[w.width() * w.height()];
        for (int row = 0; row < w.height(); row++) {
            System.arraycopy(p.argb(), (w.y() + row) * p.width() + w.x(), out, row * w.width(), w.width());
        }
        return with(new Pixels(w.width(), w.height(), out, p.alpha()));
    }

    @Override
    public int[] mostInteresting(int width, int height) {
        return Attention.bestWindow(p, width, height);
    }

    @Override
    public Canvas embed(int left, int top, int width, int height, Background bg) {
        // A see-through background gives an opaque image an alpha channel.
        boolean alpha = p.alpha() || !bg.opaque();
        int[] out = new int[width * height];
        java.util.Arrays.fill(out, Pixels.pack(bg.a(), bg.r(), bg.g(), bg.b()));
        for (int row = 0; row < p.height(); row++) {
            System.arraycopy(p.argb(), row * p.width(), out, (top + row) * width + left, p.width());
        }
        return with(new Pixels(width, height, out, alpha));
    }

    @Override
    public Canvas blur(double sigma) {
        return with(Blur.blur(p, sigma));
    }

    @Override
    public Canvas sharpen(double amount) {
        float[] blurred = Blur.blurred(p, 1.0);
        int[] src = p.argb();
        int[] out = new int[src.length];
        for (int i = 0; i < src.length; i++) {
            int v = src[i];
            int sharpened = v & 0xff000000;
            for (int k = 1, shift = 16; k < 4; k++, shift -= 8) {
                int c = (v >>> shift) & 0xff;
                sharpened |= Pixels.clamp(c * (1 + amount) - blurred[i * 4 + k] * amount) << shift;
            }
            out[i] = sharpened;
        }
        return with(new Pixels(p.width(), p.height(), out, p.alpha()));
    }

    @Override
    public Canvas grayscale() {
        int[] src = p.argb();
        int[] out = new int[src.length];
        for (int i = 0; i < src.length; i++) {
            int v = src[i];
            int y = Pixels.luma(v);
            out[i] = (v & 0xff000000) | y << 16 | y << 8 | y;
        }
        return with(new Pixels(p.width(), p.height(), out, p.alpha()));
    }

    @Override
    public Canvas flatten(Background bg) {
        int[] src = p.argb();
        int[] out = new int[src.length];
        for (int i = 0; i < src.length; i++) {
            int v = src[i];
            float a = (v >>> 24) / 255f;
            float rest = 1 - a;
            out[i] = Pixels.pack(255, Pixels.clamp(((v >> 16) & 0xff) * a + bg.r() * rest),
                    Pixels.clamp(((v >> 8) & 0xff) * a + bg.g() * rest), Pixels.clamp((v & 0xff) * a + bg.b() * rest));
        }
        return with(new Pixels(p.width(), p.height(), out, false));
    }

    @Override
    public byte[] encode(ImageFormat format, int quality) {
        return switch (format) {
            case JPG -> write("jpeg", bgr(p), quality / 100f);
            case PNG -> write("png", wrap(p), PNG_QUALITY);
            case GIF -> write("gif", wrap(p), -1);
            case WEBP -> LosslessWebp.encode(p);
            case AVIF -> throw new IllegalStateException("the pure-Java backend has no AVIF encoder");
        };
    }

    /** The pixels as an INT_RGB or INT_ARGB image (a copy). */
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
