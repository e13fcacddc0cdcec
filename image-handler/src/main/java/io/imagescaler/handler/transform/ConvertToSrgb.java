package io.imagescaler.handler.transform;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.merge;
import static org.bytedeco.opencv.global.opencv_core.split;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;

/**
 * Converts the pixels from the embedded ICC profile (Adobe RGB, Display P3, ProPhoto ...) to sRGB with
 * the JDK's colour management, after shrink on load: the small image is converted, not the big one.
 * sRGB profiles, damaged profiles and non-RGB profiles are left alone (the pixels are taken as sRGB).
 */
final class ConvertToSrgb implements Step {

    @Override
    public String stage() {
        return "colour";
    }

    @Override
    public void apply(RenderJob job) {
        byte[] icc = job.header.iccProfile();
        if (job.colourManaged || icc == null || describesSrgb(icc)) {
            return;
        }
        ICC_Profile profile;
        try {
            profile = ICC_Profile.getInstance(icc);
        } catch (IllegalArgumentException e) {
            return;
        }
        if (profile.getColorSpaceType() != ColorSpace.TYPE_RGB) {
            return;
        }
        Mat bgr = job.pixels;
        Mat alpha = null;
        if (job.hasAlpha()) {
            MatVector planes = new MatVector();
            split(job.pixels, planes);
            bgr = new Mat();
            merge(new MatVector(planes.get(0), planes.get(1), planes.get(2)), bgr);
            alpha = planes.get(3);
        }
        Mat converted = convert(bgr, new ICC_ColorSpace(profile));
        if (alpha != null) {
            MatVector planes = new MatVector();
            split(converted, planes);
            Mat out = new Mat();
            merge(new MatVector(planes.get(0), planes.get(1), planes.get(2), alpha), out);
            converted = out;
        }
        job.pixels = converted;
        job.colourManaged = true;
    }

    private static Mat convert(Mat bgr, ColorSpace from) {
        int w = bgr.cols();
        int h = bgr.rows();
        byte[] bytes = ImageIoDecoder.bytesOf(bgr);
        BufferedImage src = new BufferedImage(rgbModel(from), bgrRaster(new DataBufferByte(bytes, bytes.length), w, h),
                false, null);
        byte[] out = new byte[bytes.length];
        BufferedImage dst = new BufferedImage(rgbModel(ColorSpace.getInstance(ColorSpace.CS_sRGB)),
                bgrRaster(new DataBufferByte(out, out.length), w, h), false, null);
        new ColorConvertOp(from, ColorSpace.getInstance(ColorSpace.CS_sRGB), null).filter(src, dst);
        Mat mat = new Mat(h, w, CV_8UC3);
        mat.data().put(out);
        return mat;
    }

    private static ComponentColorModel rgbModel(ColorSpace cs) {
        return new ComponentColorModel(cs, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
    }

    private static WritableRaster bgrRaster(DataBufferByte buffer, int w, int h) {
        return Raster.createInterleavedRaster(buffer, w, h, w * 3, 3, new int[] {2, 1, 0}, null);
    }

    static boolean describesSrgb(byte[] icc) {
        return SrgbProfile.describes(icc);
    }
}
