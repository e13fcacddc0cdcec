package io.imagescaler.handler.transform;

import io.imagescaler.handler.transform.probe.Header;
import io.imagescaler.spec.ImageFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The pixel library under the {@link Pipeline}: it decodes, runs the primitives a {@link Canvas} offers
 * and encodes. Every decision (sizes, shrink factor, crop window, colour handling, format) is made in
 * the pipeline's steps, once, for every backend; a backend only does pixels. Two exist: libvips
 * ({@code vips/}, the engine) and pure Java ({@code portable/}, the fallback where no native loads).
 */
public interface Backend {

    /** A short name for logs, metrics and the engine self-test, e.g. "libvips 8.18.7". */
    String name();

    /** Output formats this backend can write. */
    Set<ImageFormat> encodes();

    /** Whether its output may be stored and cached as final (false for the fallback). */
    boolean finalOutput();

    /** Whether it can keep an animation animated (decode every frame, encode them back). */
    boolean animates();

    /**
     * Decodes the source (bytes, or the file when {@code source} is null) with a shrink-on-load of
     * {@code shrink} (1, 2, 4 or 8; JPEG in the DCT domain, WebP in the decoder; other formats ignore it),
     * every frame when {@code allFrames}, else the first. The returned canvases live until {@code session}
     * is closed.
     */
    Loaded load(Session session, byte[] source, Path file, Header header, int shrink, boolean allFrames);

    /** Encodes an animation's rendered frames with their durations (ms) and loop count (0 = forever). */
    byte[] encodeAnimation(List<Canvas> frames, int[] delays, int loops, ImageFormat format, int quality);

    /** Opens the per-render scope that frees every native buffer the render made, on every path. */
    Session session();

    /** The native resources of one render. */
    interface Session extends AutoCloseable {
        @Override
        void close();
    }

    /** What {@link #load} decoded: one canvas per frame, and the animation's timing (null for a still). */
    record Loaded(List<Canvas> frames, int[] delays, int loops) {
    }
}
