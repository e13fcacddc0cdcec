package io.imagescaler.handler.transform.probe;

import io.imagescaler.handler.transform.SourceFormat;
import io.imagescaler.handler.transform.SourceInfo;
import java.lang.foreign.MemorySegment;

/**
 * Walks a WebP's RIFF chunks: canvas size (VP8X) or bitstream size (VP8 / VP8L), alpha, animation
 * frame count (ANMF), the ICC profile (ICCP) and EXIF orientation (EXIF). A RIFF size larger than the
 * file means it was cut short.
 */
final class WebpHeader {

    private static final long MAX_ICC_BYTES = 16 << 20;
    /** The orientation sits in the first directory; a longer EXIF chunk is read only this far. */
    private static final long MAX_EXIF_BYTES = 1 << 20;

    private WebpHeader() {
    }

    static Header read(MemorySegment data) {
        Bytes b = new Bytes(data, "WebP");
        long riffEnd = 8 + b.u32le(4);
        if (riffEnd > b.length()) {
            throw b.truncated();
        }
        long at = 12;
        int width = 0;
        int height = 0;
        int frames = 0;
        boolean alpha = false;
        int orientation = 1;
        byte[] icc = null;
        while (at + 8 <= riffEnd) {
            String fourcc = b.ascii(at, 4);
            long size = b.u32le(at + 4);
            long body = at + 8;
            b.need(body, size);
            switch (fourcc) {
                case "VP8X" -> {
                    int flags = b.u8(body);
                    alpha |= (flags & 0x10) != 0;
                    width = b.u24le(body + 4) + 1;
                    height = b.u24le(body + 7) + 1;
                }
                case "VP8 " -> {
                    if (b.u8(body + 3) != 0x9d || b.u8(body + 4) != 0x01 || b.u8(body + 5) != 0x2a) {
                        throw b.damaged("the VP8 bitstream has no start code");
                    }
                    if (width == 0) {
                        width = b.u16le(body + 6) & 0x3fff;
                        height = b.u16le(body + 8) & 0x3fff;
                    }
                    frames = Math.max(frames, 1);
                }
                case "VP8L" -> {
                    if (b.u8(body) != 0x2f) {
                        throw b.damaged("the VP8L bitstream has no signature");
                    }
                    long bits = b.u32le(body + 1);
                    if (width == 0) {
                        width = (int) (bits & 0x3fff) + 1;
                        height = (int) ((bits >> 14) & 0x3fff) + 1;
                    }
                    alpha |= ((bits >> 28) & 1) != 0;
                    frames = Math.max(frames, 1);
                }
                case "ALPH" -> alpha = true;
                case "ANMF" -> frames++;
                case "ICCP" -> icc = size <= MAX_ICC_BYTES ? b.slice(body, (int) size) : null;
                case "EXIF" -> {
                    int len = (int) Math.min(size, MAX_EXIF_BYTES);
                    orientation = ExifOrientation.fromExif(b.slice(body, len), 0, len);
                }
                default -> { }
            }
            at = body + size + (size & 1);
        }
        if (width <= 0 || height <= 0 || frames == 0) {
            throw b.damaged("it has no image bitstream");
        }
        return new Header(new SourceInfo(SourceFormat.WEBP, width, height, frames, orientation, alpha), icc, false);
    }
}
