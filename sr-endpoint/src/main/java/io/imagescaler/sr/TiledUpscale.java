package io.imagescaler.sr;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.FloatBuffer;

/**
 * Runs a {@link TileModel} over an image of any size. An image that fits the run budget
 * ({@code maxWindowPixels}) goes through the network whole, straight from the decoded planes to the
 * output pixels; a larger one is cut into tiles, so the network's working set stays bounded by the
 * budget instead of the image size.
 *
 * <p>Tiles: the image is cut into a grid of near-equal cores of at most {@code tileSize} pixels. Each tile
 * is run with {@code margin} extra pixels of real context around its core (so the network's zero padding
 * never lands next to a seam), and its output is cross-faded with its neighbours' over
 * {@code 2 × blend} input pixels centred on every seam: the per-axis linear ramps of two neighbours sum
 * to one, so the products do too, including where four tiles meet. Output rows are accumulated in one
 * band of floats a tile-row high and written out to 8 bits as soon as no later tile can touch them.
 */
public final class TiledUpscale {

    private final long maxWindowPixels;
    private final int tileSize;
    private final int margin;
    private final int blend;

    /** Tiles of {@code tileSize}; an image runs whole only when both its sides fit one tile. */
    public TiledUpscale(int tileSize, int margin, int blend) {
        this((long) tileSize * tileSize, tileSize, margin, blend);
    }

    private TiledUpscale(long maxWindowPixels, int tileSize, int margin, int blend) {
        if (margin < blend || tileSize < 4 * blend || tileSize < 1)
            throw new IllegalArgumentException("need margin >= blend and tileSize >= 4 * blend");
        this.maxWindowPixels = maxWindowPixels;
        this.tileSize = tileSize;
        this.margin = margin;
        this.blend = blend;
    }

    /**
     * @param maxWindowPixels the most input pixels one network run may take (from the memory budget)
     * @param tileSizeCap     an upper bound on the tile core side, or 0 for none
     * @return a tiling that runs an image whole when it fits {@code maxWindowPixels}, else in the largest
     *         square tiles whose window (core plus margins) fits it
     */
    public static TiledUpscale forBudget(long maxWindowPixels, int tileSizeCap, int margin, int blend) {
        int side = (int) Math.min(Integer.MAX_VALUE / 4, (long) Math.floor(Math.sqrt((double) maxWindowPixels)));
        int core = Math.max(Math.max(8, 4 * blend), side - 2 * margin);
        if (tileSizeCap > 0) {
            core = Math.min(core, tileSizeCap);
            maxWindowPixels = Math.min(maxWindowPixels, (long) tileSizeCap * tileSizeCap);
        }
        return new TiledUpscale(maxWindowPixels, core, margin, blend);
    }

    public int tileSize() {
        return tileSize;
    }

    public int margin() {
        return margin;
    }

    public long maxWindowPixels() {
        return maxWindowPixels;
    }

    /** Whether a {@code width × height} image goes through the network in one run. */
    public boolean runsWhole(int width, int height) {
        return (long) width * height <= maxWindowPixels || (width <= tileSize && height <= tileSize);
    }

    /**
     * @param chw planar RGB in 0..1 of {@code width × height} (from position 0)
     * @return an opaque RGB image {@code scale} times larger
     */
    public BufferedImage upscale(FloatBuffer chw, int width, int height, TileModel model) {
        int s = model.scale();
        int outW = width * s, outH = height * s;
        BufferedImage out = new BufferedImage(outW, outH, BufferedImage.TYPE_INT_RGB);
        int[] outPixels = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        if (runsWhole(width, height)) {
            model.upscale(chw.duplicate().position(0).limit(3 * width * height), width, height,
                    planes -> writePixels(planes, outPixels));
            return out;
        }

        int[] xCuts = cuts(width);
        int[] yCuts = cuts(height);
        int bandRows = (maxSpan(yCuts) + 2 * blend) * s;
        float[][] band = new float[3][bandRows * outW];
        int bandOrigin = 0; // output row held in band row 0
        int maxWindow = (Math.min(width, maxSpan(xCuts) + 2 * margin)) * Math.min(height, maxSpan(yCuts) + 2 * margin);
        FloatBuffer window = EsrganModel.direct(3 * maxWindow);

        for (int ty = 0; ty + 1 < yCuts.length; ty++) {
            int y0 = yCuts[ty], y1 = yCuts[ty + 1];
            boolean top = ty == 0, bottom = ty + 2 == yCuts.length;
            int winY0 = Math.max(0, y0 - margin), winY1 = Math.min(height, y1 + margin);
            for (int tx = 0; tx + 1 < xCuts.length; tx++) {
                int x0 = xCuts[tx], x1 = xCuts[tx + 1];
                boolean left = tx == 0, right = tx + 2 == xCuts.length;
                int winX0 = Math.max(0, x0 - margin), winX1 = Math.min(width, x1 + margin);
                int winW = winX1 - winX0, winH = winY1 - winY0;
                crop(chw, width, height, winX0, winY0, winW, winH, window);
                int bandOriginNow = bandOrigin;
                model.upscale(window, winW, winH, tile -> {
                    if (tile.remaining() != 3 * winW * s * winH * s)
                        throw new IllegalStateException("model returned " + tile.remaining() + " values for a "
                                + winW + "x" + winH + " tile at scale " + s);
                    accumulate(tile, winX0, winY0, winW * s, winH * s, s,
                            x0, x1, left, right, y0, y1, top, bottom, band, bandOriginNow, outW);
                });
            }
            // rows below the next seam's fade are final; the fade zone carries over to the next band
            int finalEnd = bottom ? outH : (y1 - blend) * s;
            writeRows(band, bandOrigin, finalEnd, outW, outPixels);
            int carry = bottom ? 0 : (y1 + blend) * s - finalEnd;
            for (float[] plane : band) {
                System.arraycopy(plane, (finalEnd - bandOrigin) * outW, plane, 0, carry * outW);
                java.util.Arrays.fill(plane, carry * outW, plane.length, 0f);
            }
            bandOrigin = finalEnd;
        }
        return out;
    }

    /** The network's planar output straight to packed 8-bit RGB: the only pass over the output. */
    private static void writePixels(FloatBuffer planes, int[] outPixels) {
        int n = outPixels.length;
        for (int i = 0; i < n; i++)
            outPixels[i] = (to8(planes.get(i)) << 16) | (to8(planes.get(n + i)) << 8) | to8(planes.get(2 * n + i));
    }

    /** Cut points of near-equal cores of at most tileSize pixels: no sliver tile at the edge. */
    int[] cuts(int length) {
        int n = Math.max(1, (length + tileSize - 1) / tileSize);
        int[] cuts = new int[n + 1];
        for (int i = 0; i <= n; i++) cuts[i] = (int) Math.round((double) i * length / n);
        return cuts;
    }

    private static int maxSpan(int[] cuts) {
        int max = 0;
        for (int i = 0; i + 1 < cuts.length; i++) max = Math.max(max, cuts[i + 1] - cuts[i]);
        return max;
    }

    /** Copies a window into {@code into}, leaving it positioned at 0 with exactly the window's values. */
    private static void crop(FloatBuffer chw, int width, int height, int x0, int y0, int w, int h, FloatBuffer into) {
        into.clear();
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < h; y++) {
                int from = c * width * height + (y0 + y) * width + x0;
                into.put(into.position(), chw, from, w).position(into.position() + w);
            }
        into.flip();
    }

    /** Weight of a tile at input coordinate u (pixel centre) along one axis with core [c0, c1). */
    private float ramp(double u, int c0, int c1, boolean openLow, boolean openHigh) {
        double w = 1;
        if (!openLow) w = Math.min(w, (u - (c0 - blend)) / (2.0 * blend));
        if (!openHigh) w = Math.min(w, ((c1 + blend) - u) / (2.0 * blend));
        return (float) Math.max(0, Math.min(1, w));
    }

    private void accumulate(FloatBuffer tile, int winX0, int winY0, int tileW, int tileH, int s,
                            int x0, int x1, boolean left, boolean right, int y0, int y1, boolean top, boolean bottom,
                            float[][] band, int bandOrigin, int outW) {
        int ox0 = (left ? x0 : x0 - blend) * s, ox1 = (right ? x1 : x1 + blend) * s;
        int oy0 = (top ? y0 : y0 - blend) * s, oy1 = (bottom ? y1 : y1 + blend) * s;
        if (blend == 0) { // no fade: each tile owns exactly its core
            ox0 = x0 * s; ox1 = x1 * s; oy0 = y0 * s; oy1 = y1 * s;
        }
        float[] wx = new float[ox1 - ox0];
        for (int X = ox0; X < ox1; X++)
            wx[X - ox0] = blend == 0 ? 1 : ramp((X + 0.5) / s, x0, x1, left, right);
        int plane = tileW * tileH;
        for (int Y = oy0; Y < oy1; Y++) {
            float wy = blend == 0 ? 1 : ramp((Y + 0.5) / s, y0, y1, top, bottom);
            if (wy == 0) continue;
            int tileRow = (Y - winY0 * s) * tileW - winX0 * s;
            int bandRow = (Y - bandOrigin) * outW;
            for (int c = 0; c < 3; c++) {
                float[] dst = band[c];
                int src = c * plane + tileRow;
                for (int X = ox0; X < ox1; X++)
                    dst[bandRow + X] += wy * wx[X - ox0] * tile.get(src + X);
            }
        }
    }

    private static void writeRows(float[][] band, int bandOrigin, int end, int outW, int[] outPixels) {
        for (int Y = bandOrigin; Y < end; Y++) {
            int b = (Y - bandOrigin) * outW, o = Y * outW;
            for (int X = 0; X < outW; X++)
                outPixels[o + X] = (to8(band[0][b + X]) << 16) | (to8(band[1][b + X]) << 8) | to8(band[2][b + X]);
        }
    }

    private static int to8(float v) {
        int i = Math.round(v * 255f);
        return i < 0 ? 0 : Math.min(255, i);
    }
}
