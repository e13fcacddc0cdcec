package io.imagescaler.handler.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.handler.transform.Limits;
import io.imagescaler.handler.transform.Pipeline;
import io.imagescaler.handler.transform.SourceFormat;
import io.imagescaler.handler.transform.SourceInfo;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** What the model is sent: the original when it can read it, else a downscaled JPEG copy. */
class ModerationCheckTest {
    private final Pipeline engine = new Pipeline();
    private final ModerationCheck check = new ModerationCheck(Optional.empty(),
            new ModerationPolicy(50, Set.of("Violence"), Set.of()), engine, Clock.systemUTC());

    @Test
    void aSmallPngGoesAsIs() throws Exception {
        byte[] png = noisePng(300, 200);
        SourceInfo info = engine.probe(png, Limits.DEFAULT);
        assertSame(png, check.imageForModel(png, info, Limits.DEFAULT));
    }

    @Test
    void anImageOverFiveMegabytesGoesAsADownscaledJpeg() throws Exception {
        byte[] png = noisePng(2000, 1500);   // random noise does not compress: well over 5 MB
        assertTrue(png.length > Moderator.MAX_IMAGE_BYTES, "fixture is " + png.length + " bytes");
        SourceInfo info = engine.probe(png, Limits.DEFAULT);
        assertEquals(SourceFormat.PNG, info.format());
        byte[] sent = check.imageForModel(png, info, Limits.DEFAULT);
        assertTrue(sent.length <= Moderator.MAX_IMAGE_BYTES, sent.length + " bytes");
        assertEquals(0xFF, sent[0] & 0xff);
        assertEquals(0xD8, sent[1] & 0xff);
        BufferedImage copy = ImageIO.read(new ByteArrayInputStream(sent));
        assertEquals(1600, copy.getWidth());
        assertEquals(1200, copy.getHeight());
    }

    @Test
    void withoutAModeratorEveryImageIsAllowedAndSaysSo() throws Exception {
        byte[] png = noisePng(10, 10);
        var v = check.check(png, engine.probe(png, Limits.DEFAULT), Limits.DEFAULT);
        assertEquals(ModerationVerdict.Action.ALLOW, v.action());
        assertEquals("moderation is switched off in this deployment", v.reason());
    }

    @Test
    void theBlurredMasterHidesTheContentAndKeepsTheShape() throws Exception {
        byte[] png = noisePng(640, 480);
        var master = BlurredMaster.render(engine, png, engine.probe(png, Limits.DEFAULT), Limits.DEFAULT);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(master.bytes()));
        assertEquals(640, img.getWidth());
        assertEquals(480, img.getHeight());
        // Noise has maximal detail; after blurring, neighbouring pixels differ by almost nothing.
        assertTrue(meanNeighbourDifference(img) < 2.0, "mean difference " + meanNeighbourDifference(img));
        assertTrue(meanNeighbourDifference(ImageIO.read(new ByteArrayInputStream(png))) > 50);
    }

    private static double meanNeighbourDifference(BufferedImage img) {
        double sum = 0;
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 1; x < img.getWidth(); x++) {
                sum += Math.abs((img.getRGB(x, y) & 0xff) - (img.getRGB(x - 1, y) & 0xff));
                n++;
            }
        }
        return sum / n;
    }

    static byte[] noisePng(int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
