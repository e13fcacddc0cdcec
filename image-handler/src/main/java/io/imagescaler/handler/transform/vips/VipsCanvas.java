package io.imagescaler.handler.transform.vips;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.imagescaler.handler.error.ImageScalerException.CorruptImage;
import io.imagescaler.handler.transform.Background;
import io.imagescaler.handler.transform.Canvas;
import io.imagescaler.handler.transform.CropWindow;
import io.imagescaler.spec.ImageFormat;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A libvips image in a render's {@link VipsSession}. Each primitive adds an operation to the chain;
 * nothing is computed until {@link #encode}. The few operations that read their input out of order
 * (rotation, a top-to-bottom flip, the attention measure) first copy the (already resized, so small)
 * image to memory, since the source is decoded sequentially.
 */
final class VipsCanvas implements Canvas {
    // VipsInterpretation and VipsBandFormat values (vips/image.h)
    private static final int B_W = 1;
    private static final int CMYK = 15;
    private static final int RGB = 17;
    private static final int SRGB = 22;
    private static final int RGB16 = 25;
    private static final int GREY16 = 26;
    private static final int MULTIBAND = 0;
    private static final int UCHAR = 0;

    final VipsSession session;
    private MemorySegment image;
    private boolean inMemory;

    VipsCanvas(VipsSession session, MemorySegment image) {
        this.session = session;
        this.image = image;
    }

    MemorySegment image() {
        return image;
    }

    private VipsCanvas next(MemorySegment out) {
        return new VipsCanvas(session, out);
    }

    private VipsCall call(String operation) {
        // two operations name their image argument "input" (older than the "in" convention)
        boolean input = operation.equals("extract_area") || operation.equals("smartcrop");
        return VipsCall.of(operation).object(input ? "input" : "in", image);
    }

    @Override
    public int width() {
        return intOf(Vips.WIDTH);
    }

    @Override
    public int height() {
        return intOf(Vips.HEIGHT);
    }

    private int bands() {
        return intOf(Vips.BANDS);
    }

    @Override
    public boolean hasAlpha() {
        return intOf(Vips.HAS_ALPHA) != 0;
    }

    @Override
    public Storage storage() {
        int interpretation = intOf(Vips.INTERPRETATION);
        boolean eightBit = intOf(Vips.FORMAT) == UCHAR;
        int colourBands = bands() - (hasAlpha() ? 1 : 0);
        return switch (interpretation) {
            case CMYK -> Storage.CMYK;
            case SRGB, RGB -> eightBit ? Storage.SRGB8 : Storage.SRGB16;
            case RGB16 -> Storage.SRGB16;
            case B_W -> eightBit ? Storage.GREY8 : Storage.GREY16;
            case GREY16 -> Storage.GREY16;
            case MULTIBAND -> !eightBit ? Storage.OTHER : colourBands == 1 ? Storage.GREY8
                    : colourBands == 3 ? Storage.SRGB8 : Storage.OTHER;
            default -> Storage.OTHER;
        };
    }

    @Override
    public byte[] iccProfile() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom("icc-profile-data");
            if ((long) Vips.GET_TYPEOF.invokeExact(image, name) == 0) {
                return null;
            }
            MemorySegment data = arena.allocate(ADDRESS);
            MemorySegment length = arena.allocate(JAVA_LONG);
            if ((int) Vips.GET_BLOB.invokeExact(image, name, data, length) != 0) {
                Vips.error();
                return null;
            }
            return data.get(ADDRESS, 0).reinterpret(length.get(JAVA_LONG, 0)).toArray(JAVA_BYTE);
        } catch (Throwable t) {
            throw VipsException.rethrow(t);
        }
    }

    @Override
    public Canvas toSrgb(From from) {
        boolean grey = storage() == Storage.GREY16 || storage() == Storage.GREY8;
        if (from == From.PROFILE) {
            VipsCall icc = call("icc_transform").set("output_profile", "srgb").set("embedded", true)
                    .set("depth", 8).set("intent", "perceptual");
            if (storage() == Storage.CMYK) {
                icc.set("input_profile", "cmyk");
            }
            return next(icc.run(session));
        }
        return next(call("colourspace").set("space", grey ? "b-w" : "srgb").run(session));
    }

    @Override
    public Canvas resize(int width, int height) {
        double hscale = (double) width / width();
        double vscale = (double) height / height();
        if (!hasAlpha()) {
            return next(call("resize").set("scale", hscale).set("vscale", vscale).run(session));
        }
        // Premultiplied, so transparent pixels' colours do not bleed into their neighbours; premultiplied in
        // 8 bits (as browsers composite), because libvips' resize is vectorised for 8-bit samples and not for
        // floats: the dice PNG to 400 px took 22.9 ms through float, 10.4 ms this way.
        MemorySegment pre = VipsCall.of("cast").object("in", call("premultiply").run(session)).set("format", "uchar")
                .run(session);
        MemorySegment resized = VipsCall.of("resize").object("in", pre).set("scale", hscale).set("vscale", vscale)
                .run(session);
        MemorySegment straight = VipsCall.of("unpremultiply").object("in", resized).run(session);
        return next(VipsCall.of("cast").object("in", straight).set("format", "uchar").run(session));
    }

    @Override
    public Canvas rotate(int degrees) {
        toMemory();
        return next(call("rot").set("angle", "d" + degrees).run(session));
    }

    @Override
    public Canvas flip(boolean horizontal) {
        if (!horizontal) {
            toMemory();
        }
        return next(call("flip").set("direction", horizontal ? "horizontal" : "vertical").run(session));
    }

    @Override
    public Canvas crop(CropWindow w) {
        return region(w.x(), w.y(), w.width(), w.height());
    }

    VipsCanvas region(int left, int top, int width, int height) {
        return next(call("extract_area").set("left", left).set("top", top).set("width", width)
                .set("height", height).run(session));
    }

    /** libvips' attention measure (edges, skin tones, saturation), as vips_smartcrop centres its crop. */
    @Override
    public int[] mostInteresting(int width, int height) {
        toMemory();
        int[] at = new int[2];
        call("smartcrop").set("width", width).set("height", height).set("interesting", "attention")
                .run(session, new String[] {"attention_x", "attention_y"}, at);
        return new int[] {clamp(at[0] - width / 2, width() - width), clamp(at[1] - height / 2, height() - height)};
    }

    @Override
    public Canvas embed(int left, int top, int width, int height, Background bg) {
        VipsCanvas c = bands() < 3 ? (VipsCanvas) next(call("colourspace").set("space", "srgb").run(session)) : this;
        if (!bg.opaque() && !c.hasAlpha()) {
            c = c.next(c.call("bandjoin_const").set("c", new double[] {255}).run(session));
        }
        double[] fill = c.hasAlpha() ? new double[] {bg.r(), bg.g(), bg.b(), bg.a()} : new double[] {bg.r(), bg.g(), bg.b()};
        return next(c.call("embed").set("x", left).set("y", top).set("width", width).set("height", height)
                .set("extend", "background").set("background", fill).run(session));
    }

    @Override
    public Canvas blur(double sigma) {
        return next(call("gaussblur").set("sigma", sigma).run(session));
    }

    /** An unsharp mask on lightness: slope {@code amount} everywhere, no clipping of the boost. */
    @Override
    public Canvas sharpen(double amount) {
        return next(call("sharpen").set("sigma", 1.0).set("m1", amount).set("m2", amount).set("y2", 255.0)
                .set("y3", 255.0).run(session));
    }

    @Override
    public Canvas grayscale() {
        return next(call("colourspace").set("space", "b-w").run(session));
    }

    @Override
    public Canvas flatten(Background bg) {
        VipsCanvas c = bands() < 3 ? (VipsCanvas) next(call("colourspace").set("space", "srgb").run(session)) : this;
        return next(c.call("flatten").set("background", new double[] {bg.r(), bg.g(), bg.b()}).run(session));
    }

    /**
     * Encoder settings: JPEG with optimised Huffman tables and 4:2:0 chroma below q90 (sharp's defaults);
     * WebP and AVIF at the session's effort (sharp's 4 unless configured), AVIF 8-bit 4:2:0; PNG deflate
     * level 6 without row filters (sharp's); GIF through cgif. Metadata is never kept: the pixels are sRGB,
     * which browsers assume.
     */
    @Override
    public byte[] encode(ImageFormat format, int quality) {
        String suffix = switch (format) {
            case JPG -> ".jpg[Q=" + quality + ",optimize_coding=true,keep=none]";
            case PNG -> ".png[compression=6,filter=none,keep=none]";
            case WEBP -> ".webp[Q=" + quality + ",effort=" + session.effort.webp() + ",keep=none]";
            case AVIF -> ".avif[Q=" + quality + ",effort=" + session.effort.avif()
                    + ",bitdepth=8,subsample_mode=on,keep=none]";
            case GIF -> ".gif[keep=none]";
        };
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(ADDRESS);
            MemorySegment size = arena.allocate(JAVA_LONG);
            int failed = (int) Vips.WRITE_TO_BUFFER.invokeExact(image, arena.allocateFrom(suffix), buffer, size,
                    MemorySegment.NULL);
            if (failed != 0) {
                // the chain runs now: a decoder that fails on damaged data reports it here
                throw new CorruptImage("the image could not be rendered: " + Vips.error(), null);
            }
            MemorySegment data = buffer.get(ADDRESS, 0);
            try {
                return data.reinterpret(size.get(JAVA_LONG, 0)).toArray(JAVA_BYTE);
            } finally {
                Vips.G_FREE.invokeExact(data);
            }
        } catch (Throwable t) {
            throw VipsException.rethrow(t);
        }
    }

    /** Computes the chain so far into memory, once, so that out-of-order readers can follow. */
    private void toMemory() {
        if (inMemory) {
            return;
        }
        try {
            MemorySegment copy = (MemorySegment) Vips.COPY_MEMORY.invokeExact(image);
            if (copy.equals(MemorySegment.NULL)) {
                throw new CorruptImage("the image could not be decoded: " + Vips.error(), null);
            }
            image = session.own(copy);
            inMemory = true;
        } catch (Throwable t) {
            throw VipsException.rethrow(t);
        }
    }

    int intField(String name, int fallback) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment field = arena.allocateFrom(name);
            if ((long) Vips.GET_TYPEOF.invokeExact(image, field) == 0) {
                return fallback;
            }
            MemorySegment out = arena.allocate(JAVA_INT);
            return (int) Vips.GET_INT.invokeExact(image, field, out) == 0 ? out.get(JAVA_INT, 0) : fallback;
        } catch (Throwable t) {
            throw VipsException.rethrow(t);
        }
    }

    /** An int array field, or {@code length} times 100 ms when absent. */
    int[] intArrayField(String name, int length) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment field = arena.allocateFrom(name);
            MemorySegment out = arena.allocate(ADDRESS);
            MemorySegment n = arena.allocate(JAVA_INT);
            if ((long) Vips.GET_TYPEOF.invokeExact(image, field) == 0
                    || (int) Vips.GET_ARRAY_INT.invokeExact(image, field, out, n) != 0) {
                int[] fallback = new int[length];
                java.util.Arrays.fill(fallback, 100);
                return fallback;
            }
            return out.get(ADDRESS, 0).reinterpret((long) n.get(JAVA_INT, 0) * 4).toArray(JAVA_INT);
        } catch (Throwable t) {
            throw VipsException.rethrow(t);
        }
    }

    private int intOf(java.lang.invoke.MethodHandle getter) {
        try {
            return (int) getter.invokeExact(image);
        } catch (Throwable t) {
            throw VipsException.rethrow(t);
        }
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(v, Math.max(0, max)));
    }
}
