package io.imagescaler.handler.transform;

import io.imagescaler.handler.transform.probe.Header;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The state of one render as it moves through the steps: what was asked, what the header said, the
 * plan, the current pixels (8-bit BGR or BGRA), and finally the encoded bytes. One per request.
 */
final class RenderJob {
    /** The original in memory, or null when it is read from {@link #file}. */
    final byte[] source;
    /** The original on disk (large uploads), or null when it is in {@link #source}. */
    final Path file;
    final Header header;
    final TransformSpec spec;
    final ImageFormat format;
    final Limits limits;
    final Geometry geometry;
    final StageTimings timings = new StageTimings();
    /** Whether the ICC profile was already applied by the decoder (the ImageIO path does this). */
    boolean colourManaged;
    Mat pixels;
    byte[] encoded;
    /** The window {@link Crop} cut (null: nothing to cut); the frames of an animation after the first reuse it. */
    CropWindow cropWindow;

    RenderJob(byte[] source, Path file, Header header, TransformSpec spec, ImageFormat format, Limits limits,
              Geometry geometry) {
        this.source = source;
        this.file = file;
        this.header = header;
        this.spec = spec;
        this.format = format;
        this.limits = limits;
        this.geometry = geometry;
    }

    /** The same request for one frame of an animation, starting from that frame's pixels. */
    RenderJob forFrame(Mat frame) {
        RenderJob job = new RenderJob(source, file, header, spec, format, limits, geometry);
        job.pixels = frame;
        job.cropWindow = cropWindow;
        return job;
    }

    int width() {
        return pixels.cols();
    }

    int height() {
        return pixels.rows();
    }

    boolean hasAlpha() {
        return pixels.channels() == 4;
    }

    /** Whether the output format can carry transparency. */
    boolean outputKeepsAlpha() {
        return format == ImageFormat.PNG || format == ImageFormat.WEBP;
    }
}
