package io.imagescaler.handler.transform.probe;

import io.imagescaler.handler.error.ImageScalerException.CorruptImage;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked big/little-endian reads over a file's bytes; running off the end means truncation.
 * The bytes are a memory segment, so the same probes read an upload held in the heap or a multi-GB
 * file mapped from disk (offsets are {@code long}; a mapped file costs page cache, not heap).
 */
final class Bytes {
    private final MemorySegment b;
    private final String what;

    Bytes(MemorySegment b, String what) {
        this.b = b;
        this.what = what;
    }

    long length() {
        return b.byteSize();
    }

    int u8(long at) {
        need(at, 1);
        return b.get(ValueLayout.JAVA_BYTE, at) & 0xff;
    }

    int u16be(long at) {
        need(at, 2);
        return u8(at) << 8 | u8(at + 1);
    }

    int u16le(long at) {
        need(at, 2);
        return u8(at) | u8(at + 1) << 8;
    }

    int u24le(long at) {
        need(at, 3);
        return u8(at) | u8(at + 1) << 8 | u8(at + 2) << 16;
    }

    long u32be(long at) {
        need(at, 4);
        return ((long) u16be(at) << 16) | u16be(at + 2);
    }

    long u32le(long at) {
        need(at, 4);
        return u16le(at) | ((long) u16le(at + 2) << 16);
    }

    boolean startsWith(long at, String ascii) {
        if (at < 0 || at + ascii.length() > b.byteSize()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (b.get(ValueLayout.JAVA_BYTE, at + i) != (byte) ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** {@code len} bytes as ISO-8859-1 text (chunk types, FourCCs). */
    String ascii(long at, int len) {
        return new String(slice(at, len), StandardCharsets.ISO_8859_1);
    }

    /** A heap copy; callers bound {@code len} (profiles, EXIF blocks), never the pixel data. */
    byte[] slice(long at, int len) {
        need(at, len);
        return b.asSlice(at, len).toArray(ValueLayout.JAVA_BYTE);
    }

    /** A read-only view without copying (for CRCs and inflation over chunks of any size). */
    ByteBuffer view(long at, long len) {
        need(at, len);
        return b.asSlice(at, len).asByteBuffer().asReadOnlyBuffer();
    }

    void need(long at, long len) {
        if (at < 0 || len < 0 || at + len > b.byteSize() || at + len < 0) {
            throw truncated();
        }
    }

    CorruptImage truncated() {
        return new CorruptImage("the " + what + " is truncated or its structure is damaged", null);
    }

    CorruptImage damaged(String why) {
        return new CorruptImage("the " + what + " is damaged: " + why, null);
    }
}
