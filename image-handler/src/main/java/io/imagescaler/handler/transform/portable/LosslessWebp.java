package io.imagescaler.handler.transform.portable;

import java.io.ByteArrayOutputStream;
import java.util.PriorityQueue;

/**
 * A small WebP lossless (VP8L) writer, because no pure-Java WebP encoder is on Maven Central (the ones
 * there wrap libwebp through JNI, which is what this path must do without). It follows the WebP
 * lossless bitstream specification (RFC 9649): the subtract-green transform, the predictor transform
 * (16x16 tiles, each with the one of the 14 predictors that leaves the smallest residuals), then the
 * residuals entropy-coded with canonical prefix codes, where runs that repeat the pixel to the left
 * or above are sent as backward references. No colour cache, no meta prefix codes, no colour
 * transform: libwebp's files are smaller, but these decode everywhere and are exact.
 *
 * <p>The predictor of a tile is chosen on every other row and column of it (sum of |residual|).
 */
final class LosslessWebp {
    private static final int TILE_BITS = 4;
    private static final int NUM_LENGTH_CODES = 24;
    private static final int GREEN_ALPHABET = 256 + NUM_LENGTH_CODES;
    private static final int DISTANCE_ALPHABET = 40;
    private static final int MAX_RUN = 4096;
    private static final int MIN_RUN = 3;
    /** Distance codes 1 and 2 stand for "one row up" and "one pixel left" (the spec's 2-D neighbourhood map). */
    private static final int ABOVE = 1;
    private static final int LEFT = 2;
    private static final int[] CODE_LENGTH_ORDER = {17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

    private LosslessWebp() {
    }

    static byte[] encode(Pixels p) {
        int w = p.width();
        int h = p.height();
        if (w > 16384 || h > 16384) {
            throw new IllegalArgumentException("WebP holds at most 16384 px a side, not " + w + "x" + h);
        }
        int[] argb = p.argb().clone();
        boolean alphaUsed = false;
        for (int i = 0; i < argb.length; i++) {
            int v = argb[i];
            alphaUsed |= (v >>> 24) != 0xff;
            int g = (v >> 8) & 0xff;
            argb[i] = (v & 0xff00ff00) | ((((v >> 16) & 0xff) - g) & 0xff) << 16 | (((v & 0xff) - g) & 0xff);
        }
        int tilesX = (w + (1 << TILE_BITS) - 1) >> TILE_BITS;
        int tilesY = (h + (1 << TILE_BITS) - 1) >> TILE_BITS;
        int[] modes = chooseModes(argb, w, h, tilesX, tilesY);
        int[] residuals = residuals(argb, w, h, modes, tilesX);

        BitWriter out = new BitWriter(argb.length);
        out.bits(0x2f, 8);
        out.bits(w - 1, 14);
        out.bits(h - 1, 14);
        out.bits(alphaUsed ? 1 : 0, 1);
        out.bits(0, 3);
        out.bits(1, 1); // a transform follows: subtract green (type 2)
        out.bits(2, 2);
        out.bits(1, 1); // a transform follows: predictor (type 0), its tile size, its mode image
        out.bits(0, 2);
        out.bits(TILE_BITS - 2, 3);
        int[] modeImage = new int[modes.length];
        for (int i = 0; i < modes.length; i++) {
            modeImage[i] = modes[i] << 8;
        }
        out.bits(0, 1); // mode image: no colour cache
        writeImage(out, tokens(modeImage, tilesX, false));
        out.bits(0, 1); // no more transforms
        out.bits(0, 1); // no colour cache
        out.bits(0, 1); // no meta prefix codes
        writeImage(out, tokens(residuals, w, true));
        return riff(out.toByteArray());
    }

    // ---- predictor transform

    private static int[] chooseModes(int[] argb, int w, int h, int tilesX, int tilesY) {
        int[] modes = new int[tilesX * tilesY];
        int size = 1 << TILE_BITS;
        for (int ty = 0; ty < tilesY; ty++) {
            for (int tx = 0; tx < tilesX; tx++) {
                int bestMode = 11;
                long bestCost = Long.MAX_VALUE;
                for (int mode = 0; mode < 14; mode++) {
                    long cost = 0;
                    // Every other row and column of the tile: a quarter of the work, the same choice
                    // almost always (photos' residual statistics are smooth within 16 px).
                    for (int y = ty * size; y < Math.min(h, (ty + 1) * size) && cost < bestCost; y += 2) {
                        for (int x = tx * size; x < Math.min(w, (tx + 1) * size); x += 2) {
                            int i = y * w + x;
                            cost += magnitude(subtract(argb[i], predict(argb, w, x, y, mode)));
                        }
                    }
                    if (cost < bestCost) {
                        bestCost = cost;
                        bestMode = mode;
                    }
                }
                modes[ty * tilesX + tx] = bestMode;
            }
        }
        return modes;
    }

    private static int[] residuals(int[] argb, int w, int h, int[] modes, int tilesX) {
        int[] out = new int[argb.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int mode = modes[(y >> TILE_BITS) * tilesX + (x >> TILE_BITS)];
                out[y * w + x] = subtract(argb[y * w + x], predict(argb, w, x, y, mode));
            }
        }
        return out;
    }

    /** The prediction for (x, y) from already-decoded neighbours, with the spec's rules for the first row and column. */
    static int predict(int[] p, int w, int x, int y, int mode) {
        if (y == 0) {
            return x == 0 ? 0xff000000 : p[x - 1];
        }
        int i = y * w + x;
        if (x == 0) {
            return p[i - w];
        }
        int l = p[i - 1];
        int t = p[i - w];
        int tl = p[i - w - 1];
        int tr = p[i - w + 1]; // for the last column this is the row's first pixel, as the spec says
        return switch (mode) {
            case 0 -> 0xff000000;
            case 1 -> l;
            case 2 -> t;
            case 3 -> tr;
            case 4 -> tl;
            case 5 -> average(average(l, tr), t);
            case 6 -> average(l, tl);
            case 7 -> average(l, t);
            case 8 -> average(tl, t);
            case 9 -> average(t, tr);
            case 10 -> average(average(l, tl), average(t, tr));
            case 11 -> select(l, t, tl);
            case 12 -> clampAddSubtractFull(l, t, tl);
            default -> clampAddSubtractHalf(average(l, t), tl);
        };
    }

    private static int average(int a, int b) {
        return (a & b) + (((a ^ b) & 0xfefefefe) >>> 1);
    }

    private static int select(int l, int t, int tl) {
        int towardsL = 0; // Manhattan distance of the gradient estimate to L: sum |T - TL|
        int towardsT = 0; // ... and to T: sum |L - TL|
        for (int s = 0; s < 32; s += 8) {
            int lc = (l >>> s) & 0xff;
            int tc = (t >>> s) & 0xff;
            int tlc = (tl >>> s) & 0xff;
            towardsL += Math.abs(tc - tlc);
            towardsT += Math.abs(lc - tlc);
        }
        return towardsL < towardsT ? l : t;
    }

    private static int clampAddSubtractFull(int a, int b, int c) {
        int out = 0;
        for (int s = 0; s < 32; s += 8) {
            out |= clamp255(((a >>> s) & 0xff) + ((b >>> s) & 0xff) - ((c >>> s) & 0xff)) << s;
        }
        return out;
    }

    private static int clampAddSubtractHalf(int a, int b) {
        int out = 0;
        for (int s = 0; s < 32; s += 8) {
            int ac = (a >>> s) & 0xff;
            int bc = (b >>> s) & 0xff;
            out |= clamp255(ac + (ac - bc) / 2) << s;
        }
        return out;
    }

    private static int clamp255(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    /** Per channel (a - b) mod 256. */
    private static int subtract(int a, int b) {
        return (((a | 0x00ff00ff) - (b & 0xff00ff00)) & 0xff00ff00) | (((a | 0xff00ff00) - (b & 0x00ff00ff)) & 0x00ff00ff);
    }

    /** How far a residual is from zero, counting each byte as signed. */
    private static int magnitude(int r) {
        int sum = 0;
        for (int s = 0; s < 32; s += 8) {
            int c = (r >>> s) & 0xff;
            sum += Math.min(c, 256 - c);
        }
        return sum;
    }

    // ---- entropy-coded image

    /** A backward reference token: this bit, the distance code above bit 16, the length below. */
    private static final long REFERENCE = 1L << 40;

    /** The image as tokens: a literal ARGB pixel (the low 32 bits) or a {@link #REFERENCE}. */
    private static long[] tokens(int[] pixels, int w, boolean references) {
        long[] tokens = new long[pixels.length];
        int n = 0;
        int i = 0;
        while (i < pixels.length) {
            if (references) {
                int left = i >= 1 ? run(pixels, i, 1) : 0;
                int above = i >= w ? run(pixels, i, w) : 0;
                int best = Math.max(left, above);
                if (best >= MIN_RUN) {
                    tokens[n++] = REFERENCE | (long) (above >= left ? ABOVE : LEFT) << 16 | best;
                    i += best;
                    continue;
                }
            }
            tokens[n++] = pixels[i++] & 0xffffffffL;
        }
        return java.util.Arrays.copyOf(tokens, n);
    }

    private static int run(int[] p, int at, int distance) {
        int max = Math.min(MAX_RUN, p.length - at);
        int n = 0;
        while (n < max && p[at + n] == p[at + n - distance]) {
            n++;
        }
        return n;
    }

    private static void writeImage(BitWriter out, long[] tokens) {
        int[][] histograms = {new int[GREEN_ALPHABET], new int[256], new int[256], new int[256], new int[DISTANCE_ALPHABET]};
        for (long token : tokens) {
            int t = (int) token;
            if ((token & REFERENCE) == 0) {
                histograms[0][(t >> 8) & 0xff]++;
                histograms[1][(t >> 16) & 0xff]++;
                histograms[2][t & 0xff]++;
                histograms[3][t >>> 24]++;
            } else {
                int length = t & 0xffff;
                int distance = t >>> 16;
                histograms[0][256 + prefix(length)]++;
                histograms[4][prefix(distance)]++;
            }
        }
        PrefixCode[] codes = new PrefixCode[5];
        for (int k = 0; k < 5; k++) {
            codes[k] = PrefixCode.build(histograms[k], 15);
            codes[k].write(out);
        }
        for (long token : tokens) {
            int t = (int) token;
            if ((token & REFERENCE) == 0) {
                codes[0].symbol(out, (t >> 8) & 0xff);
                codes[1].symbol(out, (t >> 16) & 0xff);
                codes[2].symbol(out, t & 0xff);
                codes[3].symbol(out, t >>> 24);
            } else {
                int length = t & 0xffff;
                int distance = t >>> 16;
                codes[0].symbol(out, 256 + prefix(length));
                extraBits(out, length);
                codes[4].symbol(out, prefix(distance));
                extraBits(out, distance);
            }
        }
    }

    /** The prefix code of a length or distance value (>= 1): values 1..4 are codes 0..3, then two per power of two. */
    static int prefix(int value) {
        int d = value - 1;
        if (d < 4) {
            return d;
        }
        int highest = 31 - Integer.numberOfLeadingZeros(d);
        return 2 * highest + ((d >> (highest - 1)) & 1);
    }

    private static void extraBits(BitWriter out, int value) {
        int d = value - 1;
        if (d < 4) {
            return;
        }
        int highest = 31 - Integer.numberOfLeadingZeros(d);
        int n = highest - 1;
        out.bits(d & ((1 << n) - 1), n);
    }

    private static byte[] riff(byte[] vp8l) {
        int padded = vp8l.length + (vp8l.length & 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(padded + 20);
        out.writeBytes(new byte[] {'R', 'I', 'F', 'F'});
        le32(out, 4 + 8 + padded);
        out.writeBytes(new byte[] {'W', 'E', 'B', 'P', 'V', 'P', '8', 'L'});
        le32(out, vp8l.length);
        out.writeBytes(vp8l);
        if ((vp8l.length & 1) != 0) {
            out.write(0);
        }
        return out.toByteArray();
    }

    private static void le32(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >> 8);
        out.write(v >> 16);
        out.write(v >> 24);
    }

    /** A canonical prefix code: code lengths (at most {@code maxLength} bits) and the bit-reversed codes. */
    static final class PrefixCode {
        final int[] lengths;
        final int[] codes;

        private PrefixCode(int[] lengths) {
            this.lengths = lengths;
            this.codes = canonical(lengths);
        }

        void symbol(BitWriter out, int symbol) {
            if (zeroBits) {
                return;
            }
            out.bits(codes[symbol], lengths[symbol]);
        }

        static PrefixCode build(int[] counts, int maxLength) {
            int[] lengths = new int[counts.length];
            int used = 0;
            int last = 0;
            for (int s = 0; s < counts.length; s++) {
                if (counts[s] > 0) {
                    used++;
                    last = s;
                }
            }
            if (used <= 1) {
                // One symbol (or none): a two-symbol code, so every decoder builds a complete tree; the
                // single-symbol case of the simple code (0 bits a symbol) is written when it fits.
                lengths[last] = 1;
                lengths[last == 0 ? 1 : 0] = 1;
                PrefixCode code = new PrefixCode(lengths);
                code.single = last;
                return code;
            }
            for (int floor = 1; ; floor *= 2) {
                if (depths(counts, floor, lengths) <= maxLength) {
                    return new PrefixCode(lengths);
                }
            }
        }

        /** When only one symbol is ever sent: that symbol (the simple code then costs it 0 bits). */
        int single = -1;
        /** Set once written as a one-symbol simple code: its symbol then takes no bits. */
        boolean zeroBits;

        /** Huffman code lengths with every used count raised to at least {@code floor}; the longest. */
        private static int depths(int[] counts, int floor, int[] lengths) {
            int n = counts.length;
            int[] parent = new int[2 * n];
            long[] weight = new long[2 * n];
            PriorityQueue<long[]> queue = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0])
                    : Long.compare(a[1], b[1]));
            for (int s = 0; s < n; s++) {
                if (counts[s] > 0) {
                    weight[s] = Math.max(counts[s], floor);
                    queue.add(new long[] {weight[s], s});
                }
            }
            int next = n;
            while (queue.size() > 1) {
                long[] a = queue.poll();
                long[] b = queue.poll();
                weight[next] = a[0] + b[0];
                parent[(int) a[1]] = next;
                parent[(int) b[1]] = next;
                queue.add(new long[] {weight[next], next});
                next++;
            }
            int root = next - 1;
            int longest = 0;
            for (int s = 0; s < n; s++) {
                lengths[s] = 0;
                if (counts[s] > 0) {
                    int depth = 0;
                    for (int node = s; node != root; node = parent[node]) {
                        depth++;
                    }
                    lengths[s] = depth;
                    longest = Math.max(longest, depth);
                }
            }
            return longest;
        }

        /** Canonical codes (shorter first, then by symbol), bit-reversed for the LSB-first stream. */
        private static int[] canonical(int[] lengths) {
            int[] count = new int[16];
            for (int len : lengths) {
                count[len]++;
            }
            count[0] = 0;
            int[] next = new int[16];
            int code = 0;
            for (int len = 1; len < 16; len++) {
                code = (code + count[len - 1]) << 1;
                next[len] = code;
            }
            int[] codes = new int[lengths.length];
            for (int s = 0; s < lengths.length; s++) {
                int len = lengths[s];
                if (len > 0) {
                    codes[s] = Integer.reverse(next[len]++) >>> (32 - len);
                }
            }
            return codes;
        }

        void write(BitWriter out) {
            int nonZero = 0;
            int[] symbols = new int[2];
            for (int s = 0; s < lengths.length; s++) {
                if (lengths[s] > 0) {
                    if (nonZero < 2) {
                        symbols[nonZero] = s;
                    }
                    nonZero++;
                }
            }
            if (single >= 0 && single < 256) {
                writeSimple(out, new int[] {single});
                zeroBits = true;
                return;
            }
            if (nonZero == 2 && symbols[1] < 256 && lengths[symbols[0]] == 1 && lengths[symbols[1]] == 1) {
                writeSimple(out, symbols);
                return;
            }
            writeNormal(out);
        }

        private static void writeSimple(BitWriter out, int[] symbols) {
            out.bits(1, 1);
            out.bits(symbols.length - 1, 1);
            if (symbols[0] < 2) {
                out.bits(0, 1);
                out.bits(symbols[0], 1);
            } else {
                out.bits(1, 1);
                out.bits(symbols[0], 8);
            }
            if (symbols.length == 2) {
                out.bits(symbols[1], 8);
            }
        }

        /** The code lengths, run-length coded with 16 (repeat previous non-zero), 17 and 18 (runs of zeros). */
        private void writeNormal(BitWriter out) {
            int[] tokens = new int[lengths.length];
            int[] extra = new int[lengths.length];
            int n = 0;
            int i = 0;
            while (i < lengths.length) {
                int v = lengths[i];
                int run = 1;
                while (i + run < lengths.length && lengths[i + run] == v) {
                    run++;
                }
                i += run;
                if (v == 0) {
                    while (run >= 11) {
                        int r = Math.min(run, 138);
                        tokens[n] = 18;
                        extra[n++] = r - 11;
                        run -= r;
                    }
                    if (run >= 3) {
                        tokens[n] = 17;
                        extra[n++] = run - 3;
                        run = 0;
                    }
                } else {
                    tokens[n++] = v;
                    run--;
                    while (run >= 3) {
                        int r = Math.min(run, 6);
                        tokens[n] = 16;
                        extra[n++] = r - 3;
                        run -= r;
                    }
                }
                while (run-- > 0) {
                    tokens[n++] = v;
                }
            }
            int[] counts = new int[19];
            for (int k = 0; k < n; k++) {
                counts[tokens[k]]++;
            }
            PrefixCode lengthCode = build(counts, 7);
            int codes = 19;
            while (codes > 4 && lengthCode.lengths[CODE_LENGTH_ORDER[codes - 1]] == 0) {
                codes--;
            }
            out.bits(0, 1);
            out.bits(codes - 4, 4);
            for (int k = 0; k < codes; k++) {
                out.bits(lengthCode.lengths[CODE_LENGTH_ORDER[k]], 3);
            }
            out.bits(0, 1); // every symbol's length is coded (max_symbol = alphabet size)
            for (int k = 0; k < n; k++) {
                lengthCode.symbol(out, tokens[k]);
                switch (tokens[k]) {
                    case 16 -> out.bits(extra[k], 2);
                    case 17 -> out.bits(extra[k], 3);
                    case 18 -> out.bits(extra[k], 7);
                    default -> {
                    }
                }
            }
        }
    }

    /** Bits, least significant first, as VP8L reads them. */
    static final class BitWriter {
        private byte[] bytes;
        private int size;
        private long buffer;
        private int used;

        BitWriter(int expectedPixels) {
            bytes = new byte[Math.max(64, expectedPixels)];
        }

        void bits(int value, int n) {
            if (n == 0) {
                return;
            }
            buffer |= ((long) value & ((1L << n) - 1)) << used;
            used += n;
            while (used >= 8) {
                if (size == bytes.length) {
                    bytes = java.util.Arrays.copyOf(bytes, bytes.length * 2);
                }
                bytes[size++] = (byte) buffer;
                buffer >>>= 8;
                used -= 8;
            }
        }

        byte[] toByteArray() {
            byte[] out = java.util.Arrays.copyOf(bytes, size + (used > 0 ? 1 : 0));
            if (used > 0) {
                out[size] = (byte) buffer;
            }
            return out;
        }
    }
}
