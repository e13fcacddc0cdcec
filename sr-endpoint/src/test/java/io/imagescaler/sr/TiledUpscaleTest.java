package io.imagescaler.sr;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TiledUpscaleTest {

    private static EsrganModel medium2;

    @BeforeAll
    static void loadModel() throws IOException {
        medium2 = EsrganModel.load("esrgan-medium-x2", 2, null, 2);
    }

    @AfterAll
    static void closeModel() {
        medium2.close();
    }

    /** Pixel replication: any tiling and blending must reproduce it exactly if the weights sum to one. */
    private static final TileModel NEAREST3 = new TileModel() {
        public int scale() { return 3; }

        public void upscale(FloatBuffer chw, int w, int h, Consumer<FloatBuffer> sink) {
            assertEquals(3 * w * h, chw.remaining());
            FloatBuffer out = FloatBuffer.allocate(chw.remaining() * 9);
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < 3 * h; y++)
                    for (int x = 0; x < 3 * w; x++)
                        out.put(c * 9 * w * h + y * 3 * w + x, chw.get(chw.position() + c * w * h + (y / 3) * w + x / 3));
            sink.accept(out);
        }
    };

    @Test
    void blendWeightsFormAPartitionOfUnityAtEverySeamAndCorner() throws IOException {
        SourceImage src = SourceImage.fromImage("png", TestImages.diceCrop(250, 180, 53, 41));
        BufferedImage whole = new TiledUpscale(4096, 0, 0).upscale(src.chw(), 53, 41, NEAREST3);
        BufferedImage tiled = new TiledUpscale(12, 5, 3).upscale(src.chw(), 53, 41, NEAREST3);
        assertEquals(159, tiled.getWidth());
        assertEquals(123, tiled.getHeight());
        assertArrayEquals(whole.getRGB(0, 0, 159, 123, null, 0, 159), tiled.getRGB(0, 0, 159, 123, null, 0, 159));
    }

    @Test
    void cutsAreNearEqualWithoutSlivers() {
        TiledUpscale tiling = new TiledUpscale(128, 16, 4);
        assertArrayEquals(new int[]{0, 65, 129}, tiling.cuts(129));
        assertArrayEquals(new int[]{0, 100}, tiling.cuts(100));
        assertArrayEquals(new int[]{0, 128, 256}, tiling.cuts(256));
    }

    @Test
    void tiledNetworkOutputMatchesTheUntiledOneWithoutVisibleSeams() throws IOException {
        int w = 72, h = 56;
        SourceImage src = SourceImage.fromImage("png", TestImages.diceCrop(280, 200, w, h));
        BufferedImage whole = new TiledUpscale(4096, 0, 0).upscale(src.chw(), w, h, medium2);
        // 9 tiles, 4 seams; a margin half the default's so that blending has something to hide
        int[] blended = difference(whole, new TiledUpscale(24, 8, 4).upscale(src.chw(), w, h, medium2));
        assertTrue(blended[0] <= 2, "max difference tiled vs untiled " + blended[0] + " levels");
        assertTrue(blended[1] < 10, "mean difference tiled vs untiled " + blended[1] / 100.0 + " levels");
        // the same comparison does see seams when tiles are cut without context or blending
        int[] naive = difference(whole, new TiledUpscale(24, 0, 0).upscale(src.chw(), w, h, medium2));
        assertTrue(naive[0] > 20, "hard tile edges should show; max difference only " + naive[0]);
        // the default tiling (margin 16, blend 4) reproduces the untiled output exactly at 8 bits
        assertEquals(0, difference(whole, new TiledUpscale(24, 16, 4).upscale(src.chw(), w, h, medium2))[0]);
    }

    @Test
    void aBudgetRunsImagesThatFitWholeAndCutsLargerOnesIntoWindowsThatFit() throws IOException {
        List<Integer> windows = new ArrayList<>();
        TileModel counting = new TileModel() {
            public int scale() { return 3; }

            public void upscale(FloatBuffer chw, int w, int h, Consumer<FloatBuffer> sink) {
                windows.add(w * h);
                NEAREST3.upscale(chw, w, h, sink);
            }
        };
        TiledUpscale tiling = TiledUpscale.forBudget(10_000, 0, 12, 4);
        assertEquals(100 - 24, tiling.tileSize(), "the largest square core whose window (core + 2 margins) fits");
        SourceImage fits = SourceImage.fromImage("png", TestImages.diceCrop(100, 100, 125, 80)); // 10,000 px
        tiling.upscale(fits.chw(), 125, 80, counting);
        assertEquals(List.of(10_000), windows, "an image within the budget goes through the network whole");

        windows.clear();
        SourceImage large = SourceImage.fromImage("png", TestImages.diceCrop(100, 100, 210, 150));
        BufferedImage tiled = tiling.upscale(large.chw(), 210, 150, counting);
        assertEquals(6, windows.size(), "3 × 2 tiles");
        assertTrue(windows.stream().allMatch(px -> px <= 10_000), "every window fits the budget: " + windows);
        BufferedImage whole = new TiledUpscale(4096, 0, 0).upscale(large.chw(), 210, 150, NEAREST3);
        assertArrayEquals(whole.getRGB(0, 0, 630, 450, null, 0, 630), tiled.getRGB(0, 0, 630, 450, null, 0, 630));
    }

    @Test
    void theMeasuredReceptiveFieldIsAMarginWithoutVisibleSeams() throws IOException {
        ReceptiveField.Margin field = ReceptiveField.measure(medium2);
        assertTrue(field.withinTolerance() && field.maxDifference() < 1f / 255, field.toString());
        assertTrue(field.pixels() >= 2 && field.pixels() < 16, "medium's measured field: " + field);
        int w = 72, h = 56;
        SourceImage src = SourceImage.fromImage("png", TestImages.diceCrop(280, 200, w, h));
        BufferedImage whole = new TiledUpscale(4096, 0, 0).upscale(src.chw(), w, h, medium2);
        // as served: margin = measured field + blend; 9 tiles, 4 seams
        int[] d = difference(whole, new TiledUpscale(24, field.pixels() + 4, 4).upscale(src.chw(), w, h, medium2));
        assertTrue(d[0] <= 1, "max difference tiled vs untiled " + d[0] + " levels");
    }

    /** {max difference, mean difference × 100} over all channels, in 8-bit levels. */
    private static int[] difference(BufferedImage a, BufferedImage b) {
        int w = a.getWidth(), h = a.getHeight();
        int[] pa = a.getRGB(0, 0, w, h, null, 0, w), pb = b.getRGB(0, 0, w, h, null, 0, w);
        int max = 0;
        long sum = 0;
        for (int i = 0; i < pa.length; i++)
            for (int shift = 0; shift <= 16; shift += 8) {
                int d = Math.abs(((pa[i] >> shift) & 0xff) - ((pb[i] >> shift) & 0xff));
                max = Math.max(max, d);
                sum += d;
            }
        return new int[]{max, (int) Math.round(100.0 * sum / (3.0 * pa.length))};
    }
}
