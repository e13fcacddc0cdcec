package io.imagescaler.handler.transform.vips;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.imagescaler.handler.error.ImageScalerException.CorruptImage;
import io.imagescaler.handler.transform.Backend;
import io.imagescaler.handler.transform.Canvas;
import io.imagescaler.handler.transform.EncoderEffort;
import io.imagescaler.handler.transform.probe.Header;
import io.imagescaler.spec.ImageFormat;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * The engine's backend: libvips 8.18 (the library under sharp, imgproxy and AWS's image handler),
 * called through FFM. Loads read the source in place (no copy into libvips), sequentially, and fail on
 * truncated data; the operations only describe the work until the encoder pulls the pixels through the
 * whole chain in one pass, on libvips' worker threads ({@code VIPS_CONCURRENCY}, default one per core).
 */
public final class VipsBackend implements Backend {

    private static final Set<ImageFormat> ENCODES = EnumSet.allOf(ImageFormat.class);

    private final EncoderEffort effort;

    /** With sharp's encoder effort. */
    public VipsBackend() {
        this(EncoderEffort.DEFAULT);
    }

    public VipsBackend(EncoderEffort effort) {
        this.effort = effort;
    }

    @Override
    public String name() {
        return "libvips " + Vips.VERSION_STRING;
    }

    /** Where the library was loaded from, how many threads it computes on and its encoders' effort (start-up log). */
    public String origin() {
        return Vips.library() + ", " + Vips.concurrency() + " worker thread(s), " + effort;
    }

    @Override
    public Set<ImageFormat> encodes() {
        return ENCODES;
    }

    @Override
    public boolean finalOutput() {
        return true;
    }

    @Override
    public boolean animates() {
        return true;
    }

    @Override
    public Session session() {
        return new VipsSession(effort);
    }

    @Override
    public Loaded load(Session session, byte[] source, Path file, Header header, int shrink, boolean allFrames) {
        VipsSession s = (VipsSession) session;
        try {
            MemorySegment image = switch (header.format()) {
                case BMP -> fromJava(s, source, file);
                default -> open(s, source, file, options(header, shrink, allFrames));
            };
            if (!allFrames) {
                return new Loaded(List.of(new VipsCanvas(s, image)), null, 0);
            }
            return frames(s, image);
        } catch (VipsException e) {
            throw new CorruptImage("the " + header.format() + " could not be decoded: " + e.getMessage(), e);
        }
    }

    private static String options(Header header, int shrink, boolean allFrames) {
        StringBuilder o = new StringBuilder("access=sequential,fail_on=truncated");
        switch (header.format()) {
            case JPEG -> o.append(shrink > 1 ? ",shrink=" + shrink : "");
            case WEBP -> o.append(shrink > 1 ? ",scale=" + (1.0 / shrink) : "").append(allFrames ? ",n=-1" : "");
            case GIF -> o.append(allFrames ? ",n=-1" : "");
            default -> { }
        }
        return o.toString();
    }

    private static MemorySegment open(VipsSession s, byte[] source, Path file, String options) {
        try {
            MemorySegment image;
            if (file != null) {
                image = (MemorySegment) Vips.NEW_FROM_FILE.invokeExact(
                        s.arena.allocateFrom(file.toAbsolutePath() + "[" + options + "]"), MemorySegment.NULL);
            } else {
                // libvips reads the bytes where they are: they live in the session's arena until the end
                MemorySegment bytes = s.arena.allocate(source.length);
                MemorySegment.copy(source, 0, bytes, JAVA_BYTE, 0, source.length);
                image = (MemorySegment) Vips.NEW_FROM_BUFFER.invokeExact(bytes, (long) source.length,
                        s.arena.allocateFrom(options), MemorySegment.NULL);
            }
            return s.own(image);
        } catch (Throwable t) {
            throw VipsException.rethrow(t);
        }
    }

    /** BMP: this libvips build has no BMP loader, so TwelveMonkeys decodes it and libvips takes the pixels. */
    private static MemorySegment fromJava(VipsSession s, byte[] source, Path file) {
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(source != null ? source : Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new CorruptImage("the BMP could not be decoded: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new CorruptImage("the BMP could not be decoded", null);
        }
        int w = img.getWidth();
        int h = img.getHeight();
        boolean alpha = img.getColorModel().hasAlpha();
        int bands = alpha ? 4 : 3;
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pixels = arena.allocate((long) w * h * bands);
            long at = 0;
            for (int p : argb) {
                pixels.set(JAVA_BYTE, at++, (byte) (p >> 16));
                pixels.set(JAVA_BYTE, at++, (byte) (p >> 8));
                pixels.set(JAVA_BYTE, at++, (byte) p);
                if (alpha) {
                    pixels.set(JAVA_BYTE, at++, (byte) (p >>> 24));
                }
            }
            return s.own((MemorySegment) Vips.NEW_FROM_MEMORY_COPY.invokeExact(pixels, pixels.byteSize(), w, h, bands,
                    0 /* VIPS_FORMAT_UCHAR */));
        } catch (Throwable t) {
            throw VipsException.rethrow(t);
        }
    }

    /** An animation loaded as one tall image of stacked pages: one canvas per page, and its timing. */
    private static Loaded frames(VipsSession s, MemorySegment image) {
        VipsCanvas all = new VipsCanvas(s, image);
        int pageHeight = all.intField("page-height", all.height());
        int pages = Math.max(1, all.height() / pageHeight);
        int[] delays = all.intArrayField("delay", pages);
        int loops = all.intField("loop", 0);
        List<Canvas> frames = new ArrayList<>(pages);
        for (int i = 0; i < pages; i++) {
            frames.add(all.region(0, i * pageHeight, all.width(), pageHeight));
        }
        return new Loaded(frames, delays, loops);
    }

    @Override
    public byte[] encodeAnimation(List<Canvas> frames, int[] delays, int loops, ImageFormat format, int quality) {
        VipsCanvas first = (VipsCanvas) frames.getFirst();
        VipsSession s = first.session;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment array = arena.allocate(ADDRESS, frames.size());
            for (int i = 0; i < frames.size(); i++) {
                array.setAtIndex(ADDRESS, i, ((VipsCanvas) frames.get(i)).image());
            }
            MemorySegment boxed = (MemorySegment) Vips.ARRAY_IMAGE_NEW.invokeExact(array, frames.size());
            MemorySegment joined;
            try {
                joined = VipsCall.of("arrayjoin").object("in", boxed).set("across", 1).run(s);
            } finally {
                Vips.AREA_UNREF.invokeExact(boxed);
            }
            // a copy, so that setting the timing fields does not touch an image libvips may share
            MemorySegment out = VipsCall.of("copy").object("in", joined).run(s);
            Vips.SET_INT.invokeExact(out, arena.allocateFrom("page-height"), first.height());
            Vips.SET_INT.invokeExact(out, arena.allocateFrom("loop"), loops);
            if (delays != null) {
                MemorySegment d = arena.allocate(JAVA_INT, delays.length);
                MemorySegment.copy(delays, 0, d, JAVA_INT, 0, delays.length);
                Vips.SET_ARRAY_INT.invokeExact(out, arena.allocateFrom("delay"), d, delays.length);
            }
            return new VipsCanvas(s, out).encode(format, quality);
        } catch (Throwable t) {
            throw VipsException.rethrow(t);
        }
    }

    @Override
    public String toString() {
        return name();
    }
}
