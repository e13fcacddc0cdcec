package io.imagescaler.handler.transform.probe;

import io.imagescaler.handler.transform.SourceFormat;
import io.imagescaler.handler.transform.SourceInfo;
import java.lang.foreign.MemorySegment;

/** Reads a BMP's DIB header: size (negative height = top-down), bit count; checks the pixel offset. */
final class BmpHeader {

    private BmpHeader() {
    }

    static Header read(MemorySegment data) {
        Bytes b = new Bytes(data, "BMP");
        long pixelOffset = b.u32le(10);
        long dibSize = b.u32le(14);
        int width;
        int height;
        int bits;
        if (dibSize == 12) {
            width = b.u16le(18);
            height = b.u16le(20);
            bits = b.u16le(24);
        } else if (dibSize >= 40) {
            width = (int) b.u32le(18);
            height = Math.abs((int) b.u32le(22));
            bits = b.u16le(28);
        } else {
            throw b.damaged("unknown DIB header size " + dibSize);
        }
        if (pixelOffset >= b.length()) {
            throw b.truncated();
        }
        if (width <= 0 || height <= 0) {
            throw b.damaged("it claims a size of " + width + "x" + height);
        }
        return new Header(new SourceInfo(SourceFormat.BMP, width, height, 1, 1, bits == 32), null, false);
    }
}
