package io.imagescaler.handler.transform.probe;

import io.imagescaler.handler.transform.SourceFormat;
import io.imagescaler.handler.transform.SourceInfo;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.TreeMap;

/**
 * Walks a JPEG's marker segments up to the first scan: frame size and component count (SOFn), EXIF
 * orientation (APP1), the ICC profile (APP2 chunks, reassembled in order). Then checks that an EOI
 * marker follows the entropy-coded data: a file cut short has none, and decoders would otherwise
 * paint the missing part grey and call it success.
 */
final class JpegHeader {

    private JpegHeader() {
    }

    static Header read(MemorySegment data) {
        Bytes b = new Bytes(data, "JPEG");
        long at = 2;
        int width = -1;
        int height = -1;
        int components = 0;
        int orientation = 1;
        TreeMap<Integer, byte[]> iccChunks = new TreeMap<>();
        while (true) {
            if (b.u8(at) != 0xff) {
                throw b.damaged("expected a marker at byte " + at);
            }
            int marker = b.u8(at + 1);
            if (marker == 0xff) { // fill byte
                at++;
                continue;
            }
            if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
                at += 2;
                continue;
            }
            if (marker == 0xd9) {
                throw b.damaged("the image ends before its first scan");
            }
            int len = b.u16be(at + 2);
            if (len < 2) {
                throw b.damaged("a segment has length " + len);
            }
            long body = at + 4;
            b.need(at + 2, len);
            if (isStartOfFrame(marker)) {
                height = b.u16be(body + 1);
                width = b.u16be(body + 3);
                components = b.u8(body + 5);
            } else if (marker == 0xe1 && b.startsWith(body, "Exif\0")) {
                orientation = ExifOrientation.fromExif(b.slice(body, len - 2), 0, len - 2);
            } else if (marker == 0xe2 && b.startsWith(body, "ICC_PROFILE\0") && len > 16) {
                iccChunks.put(b.u8(body + 12), b.slice(body + 14, len - 16));
            } else if (marker == 0xda) {
                break;
            }
            at += 2 + len;
        }
        if (width <= 0 || height <= 0) {
            throw b.damaged("no frame header with a size before the scan data");
        }
        if (!hasEndOfImage(b, at)) {
            throw b.truncated();
        }
        byte[] icc = null;
        if (!iccChunks.isEmpty()) {
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            iccChunks.values().forEach(joined::writeBytes);
            icc = joined.toByteArray();
        }
        SourceInfo info = new SourceInfo(SourceFormat.JPEG, width, height, 1, orientation, false);
        return new Header(info, icc, components == 4);
    }

    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
    }

    /** In entropy-coded data 0xFF is always stuffed or a restart marker, so FF D9 can only be EOI. */
    private static boolean hasEndOfImage(Bytes b, long from) {
        for (long i = b.length() - 2; i >= from; i--) {
            if (b.u8(i) == 0xff && b.u8(i + 1) == 0xd9) {
                return true;
            }
        }
        return false;
    }
}
