package io.imagescaler.handler.transform;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.merge;
import static org.bytedeco.opencv.global.opencv_core.split;

import java.awt.color.ColorSpace;
import java.util.Optional;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;

/**
 * Converts the pixels from the embedded ICC profile (Adobe RGB, Display P3, ProPhoto ...) to sRGB with
 * the JDK's colour management ({@link SrgbConversion}), after shrink on load: the small image is
 * converted, not the big one. sRGB, damaged and non-RGB profiles are left alone.
 */
final class ConvertToSrgb implements Step {

    @Override
    public String stage() {
        return "colour";
    }

    @Override
    public void apply(RenderJob job) {
        Optional<ColorSpace> from = job.colourManaged ? Optional.empty()
                : SrgbConversion.sourceOf(job.header.iccProfile());
        if (from.isEmpty()) {
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
        byte[] converted = SrgbConversion.toSrgb(ImageIoDecoder.bytesOf(bgr), bgr.cols(), bgr.rows(), from.get(), true);
        Mat out = new Mat(bgr.rows(), bgr.cols(), CV_8UC3);
        out.data().put(converted);
        if (alpha != null) {
            MatVector planes = new MatVector();
            split(out, planes);
            Mat withAlpha = new Mat();
            merge(new MatVector(planes.get(0), planes.get(1), planes.get(2), alpha), withAlpha);
            out = withAlpha;
        }
        job.pixels = out;
        job.colourManaged = true;
    }
}
