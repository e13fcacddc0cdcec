package io.imagescaler.handler.transform;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Test tools: tag a JPEG with an EXIF orientation (as a camera does), list a JPEG's marker segments. */
final class Exif {
    private Exif() {
    }

    static byte[] withOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = {
            'I', 'I', 42, 0, 8, 0, 0, 0, // little-endian TIFF header, IFD0 at offset 8
            1, 0, // one entry
            0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte) orientation, 0, 0, 0, // Orientation, SHORT, 1
            0, 0, 0, 0 // no next IFD
        };
        ByteArrayOutputStream app1 = new ByteArrayOutputStream();
        app1.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
        app1.writeBytes(tiff);
        int len = app1.size() + 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xff);
        out.write(0xd8);
        out.write(0xff);
        out.write(0xe1);
        out.write(len >> 8);
        out.write(len & 0xff);
        out.writeBytes(app1.toByteArray());
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** The marker codes of the segments before the first scan. */
    static List<Integer> segments(byte[] jpeg) {
        List<Integer> markers = new ArrayList<>();
        int at = 2;
        while (at + 4 <= jpeg.length) {
            int marker = jpeg[at + 1] & 0xff;
            markers.add(marker);
            if (marker == 0xda) {
                break;
            }
            at += 2 + ((jpeg[at + 2] & 0xff) << 8 | (jpeg[at + 3] & 0xff));
        }
        return markers;
    }
}
