package io.imagescaler.handler.transform.probe;

import io.imagescaler.handler.transform.SourceFormat;
import io.imagescaler.handler.transform.SourceInfo;
import java.lang.foreign.MemorySegment;

/**
 * Walks a GIF's blocks to the trailer without decompressing: logical screen size, frame count, and
 * whether any frame declares a transparent colour. A file that ends before its trailer is truncated.
 */
final class GifHeader {

    private GifHeader() {
    }

    static Header read(MemorySegment data, int maxFrames) {
        Bytes b = new Bytes(data, "GIF");
        int width = b.u16le(6);
        int height = b.u16le(8);
        int flags = b.u8(10);
        long at = 13 + colourTableBytes(flags);
        int frames = 0;
        boolean transparency = false;
        while (true) {
            int block = b.u8(at);
            if (block == 0x3b) {
                break;
            } else if (block == 0x21) {
                int label = b.u8(at + 1);
                if (label == 0xf9 && b.u8(at + 2) >= 4 && (b.u8(at + 3) & 1) != 0) {
                    transparency = true;
                }
                at = skipSubBlocks(b, at + 2);
            } else if (block == 0x2c) {
                frames++;
                if (frames > maxFrames) {
                    // Counting stops here: the limit check only needs to know it was exceeded.
                    break;
                }
                int frameFlags = b.u8(at + 9);
                at += 10 + colourTableBytes(frameFlags);
                b.u8(at); // LZW minimum code size
                at = skipSubBlocks(b, at + 1);
            } else {
                throw b.damaged("unknown block 0x" + Integer.toHexString(block) + " at byte " + at);
            }
        }
        if (frames == 0) {
            throw b.damaged("it has no image frame");
        }
        return new Header(new SourceInfo(SourceFormat.GIF, width, height, frames, 1, transparency), null, false);
    }

    private static int colourTableBytes(int flags) {
        return (flags & 0x80) != 0 ? 3 * (1 << ((flags & 7) + 1)) : 0;
    }

    private static long skipSubBlocks(Bytes b, long at) {
        while (true) {
            int size = b.u8(at);
            at += 1 + size;
            if (size == 0) {
                return at;
            }
            b.need(at, 0);
        }
    }
}
