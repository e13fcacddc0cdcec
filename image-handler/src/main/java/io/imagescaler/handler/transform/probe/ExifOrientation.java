package io.imagescaler.handler.transform.probe;

/**
 * Reads the orientation tag (0x0112) from a TIFF structure: an EXIF payload (after its
 * {@code Exif\0\0} prefix) or a whole TIFF file. Anything unreadable counts as "no rotation", as
 * browsers do: a damaged EXIF block must not make an otherwise good image unusable.
 */
public final class ExifOrientation {
    private static final int ORIENTATION_TAG = 0x0112;

    private ExifOrientation() {
    }

    /** The orientation 1..8 from TIFF-structured bytes starting at {@code offset}; 1 when absent. */
    public static int read(byte[] data, int offset, int length) {
        try {
            int end = Math.min(data.length, offset + length);
            boolean le;
            if (data[offset] == 'I' && data[offset + 1] == 'I') {
                le = true;
            } else if (data[offset] == 'M' && data[offset + 1] == 'M') {
                le = false;
            } else {
                return 1;
            }
            long ifd = u32(data, offset + 4, le);
            int at = (int) (offset + ifd);
            if (ifd < 8 || at + 2 > end) {
                return 1;
            }
            int entries = u16(data, at, le);
            for (int i = 0; i < entries; i++) {
                int e = at + 2 + i * 12;
                if (e + 12 > end) {
                    return 1;
                }
                if (u16(data, e, le) == ORIENTATION_TAG) {
                    int value = u16(data, e + 8, le);
                    return value >= 1 && value <= 8 ? value : 1;
                }
            }
            return 1;
        } catch (ArrayIndexOutOfBoundsException e) {
            return 1;
        }
    }

    /** The orientation from an EXIF payload, with or without the {@code Exif\0\0} prefix. */
    public static int fromExif(byte[] data, int offset, int length) {
        if (length >= 6 && data[offset] == 'E' && data[offset + 1] == 'x' && data[offset + 2] == 'i'
                && data[offset + 3] == 'f') {
            return read(data, offset + 6, length - 6);
        }
        return length >= 8 ? read(data, offset, length) : 1;
    }

    private static int u16(byte[] d, int at, boolean le) {
        return le ? (d[at] & 0xff) | (d[at + 1] & 0xff) << 8 : (d[at] & 0xff) << 8 | (d[at + 1] & 0xff);
    }

    private static long u32(byte[] d, int at, boolean le) {
        return le ? (u16(d, at, true) | (long) u16(d, at + 2, true) << 16)
                : ((long) u16(d, at, false) << 16 | u16(d, at + 2, false));
    }
}
