package io.imagescaler.handler.transform;

import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.nio.file.Path;

/**
 * Turns an original's bytes into a variant's bytes. Implementations check {@link Limits} against the
 * header ({@link #probe}) before any pixel is decoded, never enlarge unless the spec asks, apply EXIF
 * orientation, convert to sRGB, and strip metadata from the output.
 *
 * <p>The spec's preset (if any) has already been expanded by the caller.
 */
public interface TransformEngine {

    /** The output formats this engine can write (a request for another is a 400 before any decoding). */
    java.util.Set<ImageFormat> encodes();

    /** Whether its output is final: stored in the generated bucket and cached as immutable (false for the fallback). */
    boolean finalOutput();

    /**
     * Reads the real type (magic bytes), dimensions, orientation and frame count from the header.
     *
     * @throws io.imagescaler.handler.error.ImageScalerException.UnsupportedImage not an accepted type
     * @throws io.imagescaler.handler.error.ImageScalerException.CorruptImage header unreadable/truncated
     * @throws io.imagescaler.handler.error.ImageScalerException.LimitExceeded above the pixel/frame limits
     */
    SourceInfo probe(byte[] source, Limits limits);

    /**
     * Renders the variant. {@code info} is the result of {@link #probe} on the same bytes.
     *
     * @throws io.imagescaler.handler.error.ImageScalerException.CorruptImage pixels cannot be decoded
     * @throws io.imagescaler.handler.error.ImageScalerException.LimitExceeded output above the limits
     */
    Rendered render(byte[] source, SourceInfo info, TransformSpec spec, ImageFormat format, Limits limits);

    /**
     * {@link #probe(byte[], Limits)} for an original on disk (a large upload): the file is mapped
     * read-only, so the walk costs page cache, not heap, whatever its size.
     */
    SourceInfo probe(Path file, Limits limits);

    /**
     * {@link #render(byte[], SourceInfo, TransformSpec, ImageFormat, Limits)} from a file: decoders read
     * it as a stream (libjpeg-turbo scales JPEG down in the DCT domain while reading), so the heap never
     * holds the file. Other formats decode at full size, which the pixel limits bound.
     */
    Rendered render(Path file, SourceInfo info, TransformSpec spec, ImageFormat format, Limits limits);
}
