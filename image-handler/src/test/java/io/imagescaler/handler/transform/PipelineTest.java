package io.imagescaler.handler.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.handler.error.ImageScalerException;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The engine contract, run against the native pipeline here and the pure-Java one by a subclass. */
class PipelineTest {
    final TransformEngine engine = newEngine();

    TransformEngine newEngine() {
        return new Pipeline();
    }

    private Rendered render(byte[] src, String transform, ImageFormat format) {
        return engine.render(src, engine.probe(src, Limits.DEFAULT), TransformSpec.parse(transform), format, Limits.DEFAULT);
    }

    @ParameterizedTest
    @CsvSource({
            "jpeg-tiny-40x60-orient3.jpg, JPEG, 40, 60, 1, 3, false",
            "png-rgba-dice-800x600.png, PNG, 800, 600, 1, 1, true",
            "png-16bit-rgba-pngsuite-basn6a16.png, PNG, 32, 32, 1, 1, true",
            "webp-lossy-alpha-300.webp, WEBP, 300, 300, 1, 1, true",
            "gif-animated-earth-44f.gif, GIF, 400, 400, 44, 1, true",
            "jpeg-cmyk-swop-icc-channel.jpg, JPEG, 500, 333, 1, 1, false"})
    void probeReadsTheHeaderOnly(String file, SourceFormat format, int w, int h, int frames, int orientation, boolean alpha) {
        SourceInfo info = engine.probe(TestImages.image(file), Limits.DEFAULT);
        assertEquals(new SourceInfo(format, w, h, frames, orientation, alpha), info);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jpeg-tiny-40x60-orient3.jpg", "png-rgba-dice-800x600.png", "png-tiny-16x16.png",
            "png-16bit-rgba-pngsuite-basn6a16.png", "webp-lossy-alpha-300.webp", "gif-animated-earth-44f.gif",
            "jpeg-cmyk-swop-icc-channel.jpg"})
    void everyFixtureRendersToEveryFormat(String file) {
        byte[] src = TestImages.image(file);
        SourceInfo info = engine.probe(src, Limits.DEFAULT);
        for (ImageFormat format : List.of(ImageFormat.JPG, ImageFormat.PNG, ImageFormat.WEBP, ImageFormat.GIF)) {
            Rendered out = render(src, "w_20", format);
            Img decoded = TestImages.decode(out.bytes());
            int width = Math.min(20, info.displayWidth()); // never enlarged
            assertEquals(width, decoded.cols(), file + " -> " + format);
            assertEquals(Math.round((double) width * info.displayHeight() / info.displayWidth()), decoded.rows(),
                    file + " -> " + format);
            if (format == ImageFormat.GIF) {
                continue; // palette output: its channel count depends on the palette's transparency
            }
            if (format == ImageFormat.JPG || !info.hasAlpha()) {
                assertEquals(3, decoded.channels(), file + " -> " + format);
            } else if (info.format() != SourceFormat.GIF) { // a GIF's transparency may start after frame 1
                assertEquals(4, decoded.channels(), file + " -> " + format);
            }
        }
    }

    @Test
    void fitModesGiveThePlannedSizes() {
        byte[] dice = TestImages.image("png-rgba-dice-800x600.png");
        assertSize(render(dice, "w_200,h_200", ImageFormat.PNG), 200, 150);
        assertSize(render(dice, "w_200,h_200,fit_cover", ImageFormat.PNG), 200, 200);
        assertSize(render(dice, "w_200,h_200,fit_contain", ImageFormat.PNG), 200, 200);
        assertSize(render(dice, "w_200,h_200,fit_fill", ImageFormat.PNG), 200, 200);
        assertSize(render(dice, "h_50", ImageFormat.PNG), 67, 50);
        assertSize(render(dice, "w_100,dpr_2", ImageFormat.PNG), 200, 150);
        assertSize(render(dice, "w_1600", ImageFormat.PNG), 800, 600);
        assertSize(render(dice, "w_1600,up_lanczos", ImageFormat.PNG), 1600, 1200);
        assertSize(render(dice, "w_200,rot_90", ImageFormat.PNG), 150, 200);
    }

    @Test
    void containPadsWithTheBackgroundColour() {
        byte[] src = png(solid(100, 50, Color.RED, false));
        Img out = TestImages.decode(render(src, "w_100,h_100,fit_contain,bg_0000ff", ImageFormat.JPG).bytes());
        assertNear(bgr(out, 50, 5), 0, 0, 255);
        assertNear(bgr(out, 50, 50), 255, 0, 0);
        assertNear(bgr(out, 50, 95), 0, 0, 255);
    }

    @ParameterizedTest
    @CsvSource({"n, 255, 0, 0", "s, 0, 0, 255", "center, 255, 0, 0"})
    void coverCropsAtTheGravity(String gravity, int r, int g, int b) {
        // Top 60% red, bottom 40% blue: north and centre keep red in the middle, south keeps blue.
        BufferedImage img = new BufferedImage(100, 100, BufferedImage.TYPE_INT_RGB);
        Graphics2D gr = img.createGraphics();
        gr.setColor(Color.RED);
        gr.fillRect(0, 0, 100, 60);
        gr.setColor(Color.BLUE);
        gr.fillRect(0, 60, 100, 40);
        gr.dispose();
        Img out = TestImages.decode(render(png(img), "w_100,h_20,fit_cover,pos_" + gravity, ImageFormat.PNG).bytes());
        assertNear(bgr(out, 50, 10), r, g, b);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void exifOrientationIsAppliedSoTheOutputIsUpright(int orientation) throws IOException {
        // The upright picture: 60x40, red top-left quadrant, the rest white. Store it as a camera would
        // for the given orientation (the inverse transform) and tag it.
        BufferedImage upright = new BufferedImage(60, 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = upright.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 60, 40);
        g.setColor(Color.RED);
        g.fillRect(0, 0, 30, 20);
        g.dispose();
        BufferedImage stored = storeAs(upright, orientation);
        byte[] jpeg = Exif.withOrientation(jpeg(stored), orientation);
        assertEquals(orientation, engine.probe(jpeg, Limits.DEFAULT).orientation());
        Img out = TestImages.decode(render(jpeg, "full", ImageFormat.PNG).bytes());
        assertEquals(60, out.cols());
        assertEquals(40, out.rows());
        assertNear(bgr(out, 8, 8), 255, 0, 0);
        assertNear(bgr(out, 50, 30), 255, 255, 255);
        assertNear(bgr(out, 50, 8), 255, 255, 255);
    }

    @Test
    void outputsCarryNoMetadata() throws IOException {
        byte[] tagged = Exif.withOrientation(jpeg(solid(64, 64, Color.GREEN, false)), 1);
        byte[] out = render(tagged, "w_32", ImageFormat.JPG).bytes();
        assertThat(Exif.segments(out)).noneMatch(m -> m >= 0xe1 && m <= 0xef);
        byte[] webp = render(tagged, "w_32", ImageFormat.WEBP).bytes();
        String riff = new String(webp, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(riff).doesNotContain("EXIF").doesNotContain("XMP ");
    }

    @Test
    void alphaIsResizedWithoutDarkFringes() {
        // Left half opaque white, right half fully transparent *black*: a naive resize averages the
        // black in and leaves a grey seam; premultiplied maths keeps the seam white, only less opaque.
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                img.setRGB(x, y, x < 31 ? 0xffffffff : 0x00000000);
            }
        }
        Img out = TestImages.decode(render(png(img), "w_16", ImageFormat.PNG).bytes());
        {
            Img idx = out;
            int seam = 7; // covers source columns 28..31: three opaque, one transparent
            assertThat(idx.get(8, seam, 3)).isBetween(150, 230);
            assertThat(idx.get(8, seam, 0)).isGreaterThan(245);
        }
    }

    @Test
    void sixteenBitIsReducedByRounding() throws IOException {
        byte[] src = TestImages.image("png-16bit-rgba-pngsuite-basn6a16.png");
        Img out = TestImages.decode(render(src, "full", ImageFormat.PNG).bytes());
        assertEquals(4, out.channels());
        // Every 8-bit sample is the 16-bit one divided by 257 and rounded (colour where alpha > 0).
        var raster = ImageIO.read(new java.io.ByteArrayInputStream(src)).getRaster();
        {
            Img idx = out;
            for (int y = 0; y < 32; y += 3) {
                for (int x = 0; x < 32; x += 3) {
                    int alpha16 = raster.getSample(x, y, 3);
                    assertEquals(Math.round(alpha16 / 257.0), idx.get(y, x, 3), 1, "alpha at " + x + "," + y);
                    if (alpha16 > 0) {
                        assertEquals(Math.round(raster.getSample(x, y, 0) / 257.0), idx.get(y, x, 2), 1, "red at " + x + "," + y);
                    }
                }
            }
        }
    }

    @Test
    void limitsAreCheckedFromTheHeader() {
        byte[] bomb = TestImages.read(TestImages.repoTestdata().resolve("bad/bomb-png-30000x30000-1bit.png"));
        var e = assertThrows(ImageScalerException.LimitExceeded.class, () -> engine.probe(bomb, Limits.DEFAULT));
        assertThat(e.getMessage()).contains("30000x30000");
        byte[] gif = TestImages.image("gif-animated-earth-44f.gif");
        assertThrows(ImageScalerException.LimitExceeded.class, () -> engine.probe(gif, new Limits(50_000_000, 10, 8192)));
        byte[] dice = TestImages.image("png-rgba-dice-800x600.png");
        assertThrows(ImageScalerException.LimitExceeded.class,
                () -> engine.render(dice, engine.probe(dice, Limits.DEFAULT), TransformSpec.parse("w_9000,up_lanczos"),
                        ImageFormat.PNG, Limits.DEFAULT));
    }

    @Test
    void everyHostileFileGetsA4xx() {
        List<Path> bad = new ArrayList<>(TestImages.files(TestImages.repoTestdata().resolve("bad")));
        TestImages.sharedTestdata().ifPresent(s -> bad.addAll(TestImages.files(s.resolve("bad"))));
        for (Path p : bad) {
            byte[] bytes = TestImages.read(p);
            var e = assertThrows(ImageScalerException.class, () -> {
                SourceInfo info = engine.probe(bytes, Limits.DEFAULT);
                engine.render(bytes, info, TransformSpec.parse("w_64"), ImageFormat.JPG, Limits.DEFAULT);
            }, p.getFileName().toString());
            assertTrue(e.status() >= 400 && e.status() < 500, p + " -> " + e.status());
        }
    }

    @Test
    void effectsDoWhatTheySay() {
        // Left half red, right half blue, with fine stripes in the top-left quarter only.
        BufferedImage img = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 200; x++) {
                boolean stripe = x < 100 && y < 50 && (x / 2) % 2 == 0;
                img.setRGB(x, y, stripe ? 0xffffff : x < 100 ? 0xff0000 : 0x0000ff);
            }
        }
        byte[] src = png(img);
        Img gray = TestImages.decode(render(src, "gray", ImageFormat.PNG).bytes());
        int[] p = bgr(gray, 150, 80);
        assertTrue(p[0] == p[1] && p[1] == p[2], "grey pixels have equal channels");
        Img flopped = TestImages.decode(render(src, "flop", ImageFormat.PNG).bytes());
        assertNear(bgr(flopped, 190, 80), 255, 0, 0);
        Img flipped = TestImages.decode(render(src, "flip", ImageFormat.PNG).bytes());
        assertNear(bgr(flipped, 52, 90), 255, 255, 255); // the striped quarter moved to the bottom
        double sharp = detail(TestImages.decode(render(src, "full", ImageFormat.PNG).bytes()));
        double blurred = detail(TestImages.decode(render(src, "blur_5", ImageFormat.PNG).bytes()));
        assertTrue(blurred < sharp / 4, "blur removes detail: " + blurred + " vs " + sharp);
        byte[] photo = TestImages.image("webp-lossy-alpha-300.webp"); // soft edges, room above and below
        double plain = detail(TestImages.decode(render(photo, "full", ImageFormat.JPG).bytes()));
        double sharpened = detail(TestImages.decode(render(photo, "sharpen_2", ImageFormat.JPG).bytes()));
        assertTrue(sharpened > plain * 1.5, "sharpen adds contrast at edges: " + sharpened + " vs " + plain);
        // Smart crop to a 100x100 square keeps the detailed left half; a centre crop would straddle.
        Img smart = TestImages.decode(render(src, "w_100,h_100,fit_cover,pos_smart", ImageFormat.PNG).bytes());
        assertNear(bgr(smart, 90, 90), 255, 0, 0);
    }

    /** Variance of the Laplacian (4-neighbour) of the luma: how much fine detail an image holds. */
    private static double detail(Img m) {
        float[] g = m.lumaOnWhite();
        int w = m.cols();
        int h = m.rows();
        double sum = 0;
        double sq = 0;
        int n = 0;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int i = y * w + x;
                double lap = g[i - 1] + g[i + 1] + g[i - w] + g[i + w] - 4 * g[i];
                sum += lap;
                sq += lap * lap;
                n++;
            }
        }
        double mean = sum / n;
        return sq / n - mean * mean;
    }

    @Test
    void serverTimingNamesTheStages() {
        Rendered out = render(TestImages.image("png-rgba-dice-800x600.png"), "w_100", ImageFormat.WEBP);
        assertThat(out.timings().asMap()).containsKeys("decode", "resize", "encode");
    }

    // ---- helpers

    static void assertSize(Rendered r, int w, int h) {
        Img m = TestImages.decode(r.bytes());
        assertEquals(w + "x" + h, m.cols() + "x" + m.rows());
        assertEquals(w, r.width());
        assertEquals(h, r.height());
    }

    /** {r, g, b} at (x, y). */
    static int[] bgr(Img m, int x, int y) {
        return new int[] {m.get(y, x, 2), m.get(y, x, 1), m.get(y, x, 0)};
    }

    static void assertNear(int[] rgb, int r, int g, int b) {
        assertTrue(Math.abs(rgb[0] - r) < 40 && Math.abs(rgb[1] - g) < 40 && Math.abs(rgb[2] - b) < 40,
                () -> "expected ~(" + r + "," + g + "," + b + ") got (" + rgb[0] + "," + rgb[1] + "," + rgb[2] + ")");
    }

    static BufferedImage solid(int w, int h, Color c, boolean alpha) {
        BufferedImage img = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(c);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }

    static byte[] png(BufferedImage img) {
        return write(img, "png");
    }

    static byte[] jpeg(BufferedImage img) {
        return write(img, "jpg");
    }

    private static byte[] write(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, format, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The stored (camera) pixels for an upright picture shown with the given EXIF orientation. */
    static BufferedImage storeAs(BufferedImage upright, int orientation) {
        int w = upright.getWidth();
        int h = upright.getHeight();
        boolean swap = orientation >= 5;
        BufferedImage stored = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < stored.getHeight(); y++) {
            for (int x = 0; x < stored.getWidth(); x++) {
                // Where stored pixel (x, y) is displayed, per the EXIF definition of each orientation.
                int[] d = switch (orientation) {
                    case 2 -> new int[] {w - 1 - x, y};
                    case 3 -> new int[] {w - 1 - x, h - 1 - y};
                    case 4 -> new int[] {x, h - 1 - y};
                    case 5 -> new int[] {y, x};
                    case 6 -> new int[] {w - 1 - y, x};
                    case 7 -> new int[] {w - 1 - y, h - 1 - x};
                    case 8 -> new int[] {y, h - 1 - x};
                    default -> new int[] {x, y};
                };
                stored.setRGB(x, y, upright.getRGB(d[0], d[1]));
            }
        }
        return stored;
    }
}
