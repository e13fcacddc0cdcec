package io.imagescaler.handler.transform.probe;

import io.imagescaler.handler.error.ImageScalerException.UnsupportedImage;
import io.imagescaler.handler.transform.SourceFormat;
import io.imagescaler.handler.transform.SourceInfo;
import java.lang.foreign.MemorySegment;

/**
 * Reads an HEIF container (ISO/IEC 23008-12): its brands tell AVIF (AV1 inside, decoded by libheif + aom)
 * from HEIC (HEVC inside, which no bundled decoder handles: 415), and the image's size comes from its
 * {@code ispe} property (the largest one: the primary image, not a thumbnail), alpha from an {@code auxC}
 * alpha plane, a quarter turn from {@code irot} (the decoder applies it, so the sides swap here).
 */
final class AvifHeader {
    private static final String ALPHA_URN_AV1 = "urn:mpeg:mpegB:cicp:systems:auxiliary:alpha";
    private static final String ALPHA_URN_HEVC = "urn:mpeg:hevc:2015:auxid:1";

    private AvifHeader() {
    }

    /** Whether the file starts with an ISO BMFF {@code ftyp} box. */
    static boolean isHeif(byte[] head) {
        return head.length >= 12 && head[4] == 'f' && head[5] == 't' && head[6] == 'y' && head[7] == 'p';
    }

    static Header read(MemorySegment data) {
        Bytes b = new Bytes(data, "AVIF");
        long ftypSize = b.u32be(0);
        boolean avif = false;
        boolean heic = false;
        for (long at = 8; at + 4 <= Math.min(ftypSize, b.length()); at += 4) {
            if (at == 12) {
                continue; // minor version
            }
            avif |= b.startsWith(at, "avif") || b.startsWith(at, "avis");
            heic |= b.startsWith(at, "heic") || b.startsWith(at, "heix") || b.startsWith(at, "hevc")
                    || b.startsWith(at, "heim") || b.startsWith(at, "heis") || b.startsWith(at, "hevx");
        }
        if (!avif) {
            throw new UnsupportedImage(heic
                    ? "HEIC/HEIF input needs an HEVC decoder, which this build does not carry (HEVC is patent-"
                    + "licensed): convert it to JPEG or AVIF before uploading"
                    : "the ISO BMFF file is neither AVIF nor HEIC");
        }
        Found found = new Found();
        walk(b, ftypSize, b.length(), found, 0);
        if (found.width <= 0 || found.height <= 0) {
            throw b.damaged("it has no image size (ispe)");
        }
        boolean quarterTurn = found.rotation == 1 || found.rotation == 3;
        int w = quarterTurn ? found.height : found.width;
        int h = quarterTurn ? found.width : found.height;
        return new Header(new SourceInfo(SourceFormat.AVIF, w, h, 1, 1, found.alpha), null, false);
    }

    private static final class Found {
        int width;
        int height;
        int rotation;
        boolean alpha;
    }

    /** Walks the boxes in [from, to): into meta, iprp and ipco, reading ispe, irot and auxC. */
    private static void walk(Bytes b, long from, long to, Found found, int depth) {
        long at = from;
        while (at + 8 <= to && depth < 4) {
            long size = b.u32be(at);
            long header = 8;
            if (size == 1) {
                size = (b.u32be(at + 8) << 32) | b.u32be(at + 12);
                header = 16;
            } else if (size == 0) {
                size = to - at;
            }
            if (size < header || at + size > to) {
                throw b.truncated();
            }
            long body = at + header;
            if (b.startsWith(at + 4, "meta")) {
                walk(b, body + 4, at + size, found, depth + 1); // a full box: version and flags first
            } else if (b.startsWith(at + 4, "iprp") || b.startsWith(at + 4, "ipco")) {
                walk(b, body, at + size, found, depth + 1);
            } else if (b.startsWith(at + 4, "ispe")) {
                long w = b.u32be(body + 4);
                long h = b.u32be(body + 8);
                if (w * h > (long) found.width * found.height && w <= Integer.MAX_VALUE && h <= Integer.MAX_VALUE) {
                    found.width = (int) w;
                    found.height = (int) h;
                }
            } else if (b.startsWith(at + 4, "irot")) {
                found.rotation = b.u8(body) & 3;
            } else if (b.startsWith(at + 4, "auxC")) {
                found.alpha |= b.startsWith(body + 4, ALPHA_URN_AV1) || b.startsWith(body + 4, ALPHA_URN_HEVC);
            }
            at += size;
        }
    }
}
