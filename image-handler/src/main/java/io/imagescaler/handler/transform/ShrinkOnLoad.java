package io.imagescaler.handler.transform;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_2;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_4;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_REDUCED_COLOR_8;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import io.imagescaler.handler.error.ImageScalerException.CorruptImage;
import io.imagescaler.handler.transform.probe.Header;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Decodes as few pixels as the output needs. JPEG is decoded by libjpeg-turbo at 1/2, 1/4 or 1/8
 * scale in the DCT domain (the biggest factor that still leaves at least the target size), so a
 * 12 MP photo bound for 800 px costs about a 0.75 MP decode. PNG and WebP decode at full size.
 * CMYK JPEG, GIF, TIFF and BMP go through ImageIO (TwelveMonkeys), which also colour-manages CMYK.
 */
final class ShrinkOnLoad implements Step {

    @Override
    public String stage() {
        return "decode";
    }

    @Override
    public void apply(RenderJob job) {
        Header header = job.header;
        Mat decoded = switch (header.format()) {
            case JPEG -> header.cmyk()
                    ? ImageIoDecoder.decode(job, factor(job))
                    : decode(job, jpegFlags(factor(job)));
            case PNG, WEBP -> decode(job, IMREAD_UNCHANGED);
            case GIF, TIFF, BMP -> ImageIoDecoder.decode(job, 1);
        };
        if (decoded == null || decoded.empty()) {
            throw new CorruptImage("the " + header.format() + " pixels could not be decoded", null);
        }
        job.pixels = PixelLayout.toBgrOrBgra8(decoded);
    }

    /**
     * From memory, or from the file: imread hands libjpeg a stdio source, so a large JPEG is read as a
     * stream and only the reduced raster is allocated.
     */
    private static Mat decode(RenderJob job, int flags) {
        return job.file != null ? imread(job.file.toString(), flags) : imdecode(new Mat(job.source), flags);
    }

    /**
     * The DCT-domain shrink is a block average that aliases on fine detail; the area resize after it
     * hides that when it still has at least 2.5x of reducing to do. Measured against
     * vipsthumbnail on a detailed progressive photo (ReferenceSimilarityTest): SSIM 0.946 with 1.2x
     * left, 0.964 with 2.4x left at 1/4, 0.98+ with 4.8x left at 1/2; photos with less fine detail
     * stay above 0.98 either way. Quality first; the bench shows what it costs.
     */
    static final double MIN_RESIDUAL = 2.5;

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

    private static int jpegFlags(int factor) {
        int reduced = switch (factor) {
            case 8 -> IMREAD_REDUCED_COLOR_8;
            case 4 -> IMREAD_REDUCED_COLOR_4;
            case 2 -> IMREAD_REDUCED_COLOR_2;
            default -> IMREAD_COLOR;
        };
        return reduced | IMREAD_IGNORE_ORIENTATION;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
