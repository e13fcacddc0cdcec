package io.imagescaler.handler.transform;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC4;

import io.imagescaler.handler.error.ImageScalerException.CorruptImage;
import io.imagescaler.handler.error.ImageScalerException.UnsupportedImage;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The pure-Java decode path (ImageIO with the TwelveMonkeys plugins) for what libjpeg-turbo and
 * libpng/libwebp in OpenCV cannot do right: CMYK/YCCK JPEG (converted through the embedded or a
 * default CMYK profile), GIF (first frame), TIFF and BMP. Its output is already sRGB.
 */
final class ImageIoDecoder {

    private ImageIoDecoder() {
    }

    static Mat decode(RenderJob job, int subsampling) {
        BufferedImage image;
        try (ImageInputStream in = ImageIO.createImageInputStream(
                job.file != null ? job.file.toFile() : new ByteArrayInputStream(job.source))) {
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
                image = reader.read(0, param);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof UnsupportedImage u) {
                throw u;
            }
            throw new CorruptImage("the " + job.header.format() + " pixels could not be decoded", e);
        }
        job.colourManaged = true;
        return toMat(image);
    }

    /** Draws the image into a BGR or BGRA byte raster in sRGB (Java2D converts colour spaces) and wraps it. */
    static Mat toMat(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        boolean alpha = image.getColorModel().hasAlpha();
        BufferedImage target;
        if (alpha) {
            ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), true, false,
                    Transparency.TRANSLUCENT, DataBuffer.TYPE_BYTE);
            WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, w * 4, 4,
                    new int[] {2, 1, 0, 3}, null);
            target = new BufferedImage(cm, raster, false, null);
        } else if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            target = image;
        } else {
            target = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        }
        if (target != image) {
            Graphics2D g = target.createGraphics();
            g.drawImage(image, 0, 0, null);
            g.dispose();
        }
        byte[] bytes = ((DataBufferByte) target.getRaster().getDataBuffer()).getData();
        Mat mat = new Mat(h, w, alpha ? CV_8UC4 : CV_8UC3);
        mat.data().put(bytes, 0, Math.min(bytes.length, w * h * (alpha ? 4 : 3)));
        return mat;
    }

    /** Copies BGR/BGRA pixels out into a BufferedImage of the same byte layout (for colour conversion). */
    static byte[] bytesOf(Mat mat) {
        byte[] out = new byte[(int) (mat.total() * mat.channels())];
        BytePointer data = mat.data();
        data.get(out);
        return out;
    }
}
