package io.imagescaler.handler.transform.probe;

import io.imagescaler.handler.transform.SourceFormat;
import io.imagescaler.handler.transform.SourceInfo;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Walks every PNG chunk to IEND, checking each CRC: cheap (no inflation of image data) and catches
 * truncation and corruption before a decoder sees the file. Reads IHDR (size, bit depth, colour
 * type), tRNS (alpha), iCCP (profile), eXIf (orientation) and acTL (frame count of an APNG).
 */
final class PngHeader {
    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int MAX_ICC_BYTES = 4 << 20;
    /** The orientation sits in the first directory; a longer eXIf chunk is read only this far. */
    private static final long MAX_EXIF_BYTES = 1 << 20;

    private PngHeader() {
    }

    static Header read(MemorySegment data) {
        Bytes b = new Bytes(data, "PNG");
        long at = 8;
        int width = 0;
        int height = 0;
        int colourType = -1;
        boolean transparency = false;
        boolean sawEnd = false;
        int frames = 1;
        int orientation = 1;
        byte[] icc = null;
        CRC32 crc = new CRC32();
        boolean first = true;
        while (!sawEnd) {
            long len = b.u32be(at);
            if (len > Integer.MAX_VALUE - 12) {
                throw b.damaged("a chunk claims " + len + " bytes");
            }
            b.need(at + 8, len + 4);
            String type = b.ascii(at + 4, 4);
            crc.reset();
            crc.update(b.view(at + 4, len + 4));
            if (crc.getValue() != b.u32be(at + 8 + len)) {
                throw b.damaged("chunk " + type + " fails its CRC check");
            }
            long body = at + 8;
            if (first && !type.equals("IHDR")) {
                throw b.damaged("the first chunk is " + type + ", not IHDR");
            }
            first = false;
            switch (type) {
                case "IHDR" -> {
                    width = (int) Math.min(Integer.MAX_VALUE, b.u32be(body));
                    height = (int) Math.min(Integer.MAX_VALUE, b.u32be(body + 4));
                    int depth = b.u8(body + 8);
                    colourType = b.u8(body + 9);
                    if (!validDepth(colourType, depth)) {
                        throw b.damaged("bit depth " + depth + " is not allowed with colour type " + colourType);
                    }
                }
                case "tRNS" -> transparency = true;
                case "acTL" -> frames = (int) Math.min(Integer.MAX_VALUE, b.u32be(body));
                case "eXIf" -> orientation = ExifOrientation.read(b.slice(body, (int) Math.min(len, MAX_EXIF_BYTES)), 0,
                        (int) Math.min(len, MAX_EXIF_BYTES));
                case "iCCP" -> icc = inflateProfile(b.view(body, len));
                case "IEND" -> sawEnd = true;
                default -> { }
            }
            at = body + len + 4;
        }
        if (width <= 0 || height <= 0) {
            throw b.damaged("IHDR gives a size of " + width + "x" + height);
        }
        boolean alpha = colourType == 4 || colourType == 6 || transparency;
        return new Header(new SourceInfo(SourceFormat.PNG, width, height, frames, orientation, alpha), icc, false);
    }

    private static boolean validDepth(int colourType, int depth) {
        return switch (colourType) {
            case 0 -> depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
            case 3 -> depth == 1 || depth == 2 || depth == 4 || depth == 8;
            case 2, 4, 6 -> depth == 8 || depth == 16;
            default -> false;
        };
    }

    /** iCCP: name, NUL, compression method, zlib data. A damaged profile is ignored, not fatal. */
    private static byte[] inflateProfile(ByteBuffer chunk) {
        int nul = 0;
        while (nul < chunk.limit() && chunk.get(nul) != 0) {
            nul++;
        }
        int start = nul + 2;
        if (start >= chunk.limit()) {
            return null;
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(chunk.position(start));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            while (!inflater.finished() && out.size() <= MAX_ICC_BYTES) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                out.write(buf, 0, n);
            }
            return inflater.finished() ? out.toByteArray() : null;
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }
}
