package io.imagescaler.handler.transform;

import io.imagescaler.handler.transform.probe.Header;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.nio.file.Path;

/**
 * The state of one render as it moves through the steps: what was asked, what the header said, the
 * plan, the backend and its current {@link Canvas}, and finally the encoded bytes. One per request
 * (and one per frame of an animation, sharing the crop window).
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
    final Backend backend;
    final Backend.Session session;
    final StageTimings timings = new StageTimings();
    Canvas canvas;
    /** The orientation still to apply to {@link #canvas} (the EXIF one until {@link Orient} ran). */
    int orientation;
    byte[] encoded;
    /** The window {@link Crop} cut (null: nothing to cut); the frames of an animation after the first reuse it. */
    CropWindow cropWindow;

    RenderJob(byte[] source, Path file, Header header, TransformSpec spec, ImageFormat format, Limits limits,
              Geometry geometry, Backend backend, Backend.Session session) {
        this.source = source;
        this.file = file;
        this.header = header;
        this.spec = spec;
        this.format = format;
        this.limits = limits;
        this.geometry = geometry;
        this.backend = backend;
        this.session = session;
        this.orientation = header.info().orientation();
    }

    /** The same request for one frame of an animation, starting from that frame's canvas. */
    RenderJob forFrame(Canvas frame) {
        RenderJob job = new RenderJob(source, file, header, spec, format, limits, geometry, backend, session);
        job.canvas = frame;
        job.cropWindow = cropWindow;
        return job;
    }

    /** Whether the output format can carry transparency. */
    boolean outputKeepsAlpha() {
        return format != ImageFormat.JPG;
    }
}
