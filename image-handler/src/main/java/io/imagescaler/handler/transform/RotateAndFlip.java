package io.imagescaler.handler.transform;

import static org.bytedeco.opencv.global.opencv_core.ROTATE_180;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_CLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.ROTATE_90_COUNTERCLOCKWISE;
import static org.bytedeco.opencv.global.opencv_core.flip;
import static org.bytedeco.opencv.global.opencv_core.rotate;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The explicit {@code rot_}, {@code flip} (top to bottom) and {@code flop} (left to right), as sharp
 * names them; applied after resizing, so {@code w_}/{@code h_} refer to the upright original.
 */
final class RotateAndFlip implements Step {

    @Override
    public String stage() {
        return "resize";
    }

    @Override
    public void apply(RenderJob job) {
        Mat m = job.pixels;
        int code = switch (job.spec.rotate()) {
            case 90 -> ROTATE_90_CLOCKWISE;
            case 180 -> ROTATE_180;
            case 270 -> ROTATE_90_COUNTERCLOCKWISE;
            default -> -1;
        };
        if (code >= 0) {
            Mat out = new Mat();
            rotate(m, out, code);
            m = out;
        }
        if (job.spec.flip()) {
            Mat out = new Mat();
            flip(m, out, 0);
            m = out;
        }
        if (job.spec.flop()) {
            Mat out = new Mat();
            flip(m, out, 1);
            m = out;
        }
        job.pixels = m;
    }
}
