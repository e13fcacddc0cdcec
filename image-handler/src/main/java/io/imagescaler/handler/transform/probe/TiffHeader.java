package io.imagescaler.handler.transform.probe;

import io.imagescaler.handler.transform.SourceFormat;
import io.imagescaler.handler.transform.SourceInfo;
import java.lang.foreign.MemorySegment;

/** Reads the first IFD of a TIFF: size, samples (alpha), orientation, ICC profile; counts the pages. */
final class TiffHeader {
    private static final int WIDTH = 256;
    private static final int HEIGHT = 257;
    private static final int SAMPLES_PER_PIXEL = 277;
    private static final int EXTRA_SAMPLES = 338;
    private static final int ORIENTATION = 274;
    private static final int ICC_PROFILE = 34675;

    private TiffHeader() {
    }

    static Header read(MemorySegment data, int maxFrames) {
        Bytes b = new Bytes(data, "TIFF");
        boolean le = b.u8(0) == 'I';
        long ifd = u32(b, 4, le);
        int width = 0;
        int height = 0;
        int orientation = 1;
        boolean alpha = false;
        byte[] icc = null;
        int pages = 0;
        while (ifd != 0 && pages <= maxFrames) {
            if (ifd < 8 || ifd >= b.length()) {
                throw b.damaged("an image directory points outside the file");
            }
            long at = ifd;
            int entries = u16(b, at, le);
            if (pages == 0) {
                for (int i = 0; i < entries; i++) {
                    long e = at + 2 + i * 12L;
                    int tag = u16(b, e, le);
                    int type = u16(b, e + 2, le);
                    long count = u32(b, e + 4, le);
                    long value = type == 3 ? u16(b, e + 8, le) : u32(b, e + 8, le);
                    switch (tag) {
                        case WIDTH -> width = (int) Math.min(Integer.MAX_VALUE, value);
                        case HEIGHT -> height = (int) Math.min(Integer.MAX_VALUE, value);
                        case ORIENTATION -> orientation = value >= 1 && value <= 8 ? (int) value : 1;
                        case EXTRA_SAMPLES -> alpha = true;
                        case SAMPLES_PER_PIXEL -> alpha |= value == 4 || value == 2;
                        case ICC_PROFILE -> {
                            if (count > 4 && count < (16 << 20)) {
                                icc = b.slice(value, (int) count);
                            }
                        }
                        default -> { }
                    }
                }
            }
            pages++;
            ifd = u32(b, at + 2 + entries * 12L, le);
        }
        if (width <= 0 || height <= 0) {
            throw b.damaged("the first image directory has no size");
        }
        return new Header(new SourceInfo(SourceFormat.TIFF, width, height, pages, orientation, alpha), icc, false);
    }

    private static int u16(Bytes b, long at, boolean le) {
        return le ? b.u16le(at) : b.u16be(at);
    }

    private static long u32(Bytes b, long at, boolean le) {
        return le ? b.u32le(at) : b.u32be(at);
    }
}
