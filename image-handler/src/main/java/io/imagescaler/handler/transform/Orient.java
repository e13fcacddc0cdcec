package io.imagescaler.handler.transform;

import static org.bytedeco.opencv.global.opencv_core.ROTATE_180;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_CLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_COUNTERCLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.flip;
import static org.bytedeco.opencv.global.opencv_core.rotate;
import static org.bytedeco.opencv.global.opencv_core.transpose;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Applies the EXIF orientation (JPEG APP1, PNG eXIf, WebP EXIF, TIFF tag) so the output is upright;
 * the output carries no EXIF, so it must not be applied twice by a viewer.
 */
final class Orient implements Step {

    @Override
    public String stage() {
        return "resize";
    }

    @Override
    public void apply(RenderJob job) {
        job.pixels = orient(job.pixels, job.header.info().orientation());
    }

    static Mat orient(Mat m, int orientation) {
        Mat out = new Mat();
        switch (orientation) {
            case 2 -> flip(m, out, 1);
            case 3 -> rotate(m, out, ROTATE_180);
            case 4 -> flip(m, out, 0);
            case 5 -> transpose(m, out);
            case 6 -> rotate(m, out, ROTATE_90_CLOCKWISE);
            case 7 -> {
                Mat t = new Mat();
                transpose(m, t);
                flip(t, out, -1);
            }
            case 8 -> rotate(m, out, ROTATE_90_COUNTERCLOCKWISE);
            default -> {
                return m;
            }
        }
        return out;
    }
}
