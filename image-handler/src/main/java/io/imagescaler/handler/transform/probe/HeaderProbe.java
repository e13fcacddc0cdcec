package io.imagescaler.handler.transform.probe;

import io.imagescaler.handler.error.ImageScalerException.CorruptImage;
import io.imagescaler.handler.error.ImageScalerException.UnsupportedImage;
import java.lang.foreign.MemorySegment;

/**
 * Recognises an image by its magic bytes (never by a header or file name) and reads its container
 * header. No pixel is decoded here, so limits can be enforced before any decoder runs.
 */
public final class HeaderProbe {

    private HeaderProbe() {
    }

    /**
     * @param maxFrames frame counting stops past this (the caller's limit), so a hostile file with
     *                  millions of frames costs no more than one with {@code maxFrames + 1}
     */
    public static Header read(byte[] data, int maxFrames) {
        return read(MemorySegment.ofArray(data), maxFrames);
    }

    /**
     * The same over any memory segment, e.g. a large upload's file mapped read-only: the walk touches
     * only the pages it reads (headers, chunk boundaries, the tail), and nothing lands in the heap.
     */
    public static Header read(MemorySegment file, int maxFrames) {
        if (file.byteSize() < 16) {
            throw new UnsupportedImage("the body is " + file.byteSize()
                    + " bytes, too short to be an image (JPEG, PNG, GIF, WebP, AVIF, TIFF or BMP)");
        }
        byte[] data = file.asSlice(0, Math.min(64, file.byteSize())).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        try {
            if (u8(data, 0) == 0xff && u8(data, 1) == 0xd8 && u8(data, 2) == 0xff) {
                return JpegHeader.read(file);
            }
            if (startsWith(data, PngHeader.SIGNATURE)) {
                return PngHeader.read(file);
            }
            if (ascii(data, 0, "GIF87a") || ascii(data, 0, "GIF89a")) {
                return GifHeader.read(file, maxFrames);
            }
            if (ascii(data, 0, "RIFF") && ascii(data, 8, "WEBP")) {
                return WebpHeader.read(file);
            }
            if (ascii(data, 0, "II*\0") || ascii(data, 0, "MM\0*")) {
                return TiffHeader.read(file, maxFrames);
            }
            if (ascii(data, 0, "BM")) {
                return BmpHeader.read(file);
            }
            if (AvifHeader.isHeif(data)) {
                return AvifHeader.read(file);
            }
        } catch (ArithmeticException | IndexOutOfBoundsException e) {
            throw new CorruptImage("the image header is damaged", e);
        }
        throw new UnsupportedImage("the bytes are not an image type we accept (JPEG, PNG, GIF, WebP, AVIF, TIFF, BMP)"
                + describe(data));
    }

    private static String describe(byte[] data) {
        String head = new String(data, 0, Math.min(64, data.length), java.nio.charset.StandardCharsets.ISO_8859_1)
                .stripLeading().toLowerCase(java.util.Locale.ROOT);
        if (head.startsWith("<svg") || head.startsWith("<?xml")) {
            return "; SVG/XML is refused because it can carry scripts and external references";
        }
        return "";
    }

    private static int u8(byte[] d, int i) {
        return d[i] & 0xff;
    }

    private static boolean startsWith(byte[] d, byte[] prefix) {
        return java.util.Arrays.equals(d, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static boolean ascii(byte[] d, int at, String s) {
        if (at + s.length() > d.length) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (d[at + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
