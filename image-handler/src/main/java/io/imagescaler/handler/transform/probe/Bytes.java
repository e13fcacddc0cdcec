package io.imagescaler.handler.transform.probe;

import io.imagescaler.handler.error.ImageScalerException.CorruptImage;

/** Bounds-checked big/little-endian reads over a file's bytes; running off the end means truncation. */
final class Bytes {
    private final byte[] b;
    private final String what;

    Bytes(byte[] b, String what) {
        this.b = b;
        this.what = what;
    }

    int length() {
        return b.length;
    }

    byte[] array() {
        return b;
    }

    int u8(int at) {
        need(at, 1);
        return b[at] & 0xff;
    }

    int u16be(int at) {
        need(at, 2);
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    int u16le(int at) {
        need(at, 2);
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    int u24le(int at) {
        need(at, 3);
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16;
    }

    long u32be(int at) {
        need(at, 4);
        return ((long) u16be(at) << 16) | u16be(at + 2);
    }

    long u32le(int at) {
        need(at, 4);
        return u16le(at) | ((long) u16le(at + 2) << 16);
    }

    boolean startsWith(int at, String ascii) {
        if (at < 0 || at + ascii.length() > b.length) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (b[at + i] != (byte) ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    byte[] slice(int at, int len) {
        need(at, len);
        byte[] out = new byte[len];
        System.arraycopy(b, at, out, 0, len);
        return out;
    }

    void need(long at, long len) {
        if (at < 0 || len < 0 || at + len > b.length) {
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
