package io.imagescaler.moderation.model;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns image bytes into the model's input exactly as nsfwjs does in Node
 * ({@code tf.node.decodeImage(bytes, 3)} then {@code NSFWJS.infer}): the decoded RGB channels (alpha
 * dropped, not composited; no EXIF rotation), divided by 255 in float32, then
 * {@code tf.image.resizeBilinear(size 224, alignCorners = true)} - TF.js's CPU kernel, which samples
 * the four nearest pixels and does not anti-alias - into a {@code [1, 224, 224, 3]} NHWC float array.
 *
 * <p>Only the bounds are ours: images above {@link #MAX_DECODED_PIXELS} are decoded with integer
 * subsampling (nsfwjs would decode them whole), which keeps memory bounded on Lambda.
 */
public final class ModelInput {
    public static final int SIZE = 224;
    /** Larger images are decoded subsampled: 50 MP is 150 MB of RGB (a 22 MP photo decodes whole). */
    public static final long MAX_DECODED_PIXELS = 50_000_000L;

    /** The bytes are not an image this model can read. */
    public static final class UnreadableImage extends IllegalArgumentException {
        UnreadableImage(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private ModelInput() {
    }

    /** @return {@code [1, 224, 224, 3]} NHWC RGB in 0..1, flattened */
    public static float[] fromImage(byte[] image) {
        return fromPixels(decode(image));
    }

    static BufferedImage decode(byte[] image) {
        ImageIO.setUseCache(false);
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new UnreadableImage("not an image format the model reads", null);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                ImageReadParam param = reader.getDefaultReadParam();
                int step = 1;
                while (pixels / ((long) step * step) > MAX_DECODED_PIXELS) step++;
                if (step > 1) param.setSourceSubsampling(step, step, 0, 0);
                BufferedImage decoded = reader.read(0, param);
                if (decoded.getWidth() < 1 || decoded.getHeight() < 1) {
                    throw new UnreadableImage("the image has no pixels", null);
                }
                return decoded;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof UnreadableImage u) throw u;
            throw new UnreadableImage("the image could not be decoded: " + e.getMessage(), e);
        }
    }

    /** nsfwjs's normalisation and resize of decoded pixels (see the class comment). */
    static float[] fromPixels(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        Pixels pixels = new Pixels(img);
        float[] out = new float[SIZE * SIZE * 3];
        // tfjs-backend-cpu ResizeBilinear with alignCorners: ratio (old - 1) / (new - 1), no half-pixel offset
        double rowRatio = (h - 1) / (double) (SIZE - 1);
        double colRatio = (w - 1) / (double) (SIZE - 1);
        boolean resize = w != SIZE || h != SIZE;
        float[] top = new float[3];
        float[] topRight = new float[3];
        float[] bottom = new float[3];
        float[] bottomRight = new float[3];
        int o = 0;
        for (int r = 0; r < SIZE; r++) {
            double fr = resize ? rowRatio * r : r;
            int r0 = Math.max(0, (int) Math.floor(fr));
            int r1 = Math.min(h - 1, (int) Math.ceil(fr));
            double rowFrac = fr - r0;
            for (int c = 0; c < SIZE; c++) {
                double fc = resize ? colRatio * c : c;
                int c0 = Math.max(0, (int) Math.floor(fc));
                int c1 = Math.min(w - 1, (int) Math.ceil(fc));
                double colFrac = fc - c0;
                pixels.normalized(c0, r0, top);
                pixels.normalized(c1, r0, topRight);
                pixels.normalized(c0, r1, bottom);
                pixels.normalized(c1, r1, bottomRight);
                for (int d = 0; d < 3; d++) {
                    double t = top[d] + (topRight[d] - top[d]) * colFrac;
                    double b = bottom[d] + (bottomRight[d] - bottom[d]) * colFrac;
                    out[o++] = (float) (t + (b - t) * rowFrac);
                }
            }
        }
        return out;
    }

    /** 8-bit RGB samples of a decoded image, as a decoder asked for 3 channels gives them. */
    private static final class Pixels {
        private final BufferedImage img;
        private final Raster raster;
        private final boolean gray;
        private final int grayBits;

        Pixels(BufferedImage img) {
            this.img = img;
            this.raster = img.getRaster();
            ColorModel cm = img.getColorModel();
            // getRGB would put gray samples through a linear-to-sRGB conversion; a decoder replicates them
            this.gray = !(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
            this.grayBits = cm.getComponentSize(0);
        }

        void normalized(int x, int y, float[] rgb) {
            if (gray) {
                int v = raster.getSample(x, y, 0);
                if (grayBits > 8) v = (int) Math.round(v * 255.0 / ((1 << grayBits) - 1));
                else if (grayBits < 8) v = v * 255 / ((1 << grayBits) - 1);
                float f = byteToUnit(v);
                rgb[0] = f;
                rgb[1] = f;
                rgb[2] = f;
            } else {
                int argb = img.getRGB(x, y);
                rgb[0] = byteToUnit((argb >> 16) & 0xff);
                rgb[1] = byteToUnit((argb >> 8) & 0xff);
                rgb[2] = byteToUnit(argb & 0xff);
            }
        }

        /** TF.js divides in float32: the exact quotient, rounded once to float. */
        private static float byteToUnit(int v) {
            return (float) (v / 255.0);
        }
    }
}
