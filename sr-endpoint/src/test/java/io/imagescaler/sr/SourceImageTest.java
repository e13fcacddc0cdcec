package io.imagescaler.sr;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decoding of invocation bodies into the network's planar RGB, with limits checked from the header. */
class SourceImageTest {

    @Test
    void webpWithAlphaDecodesToPlanarRgbAndKeepsItsAlpha() throws Exception {
        BufferedImage reference = TestImages.read("images/webp-lossy-alpha-300.webp");
        SourceImage src = SourceImage.decode(TestImages.bytes("images/webp-lossy-alpha-300.webp"), 2, 1 << 20, 1 << 22);
        assertEquals("webp", src.format());
        assertEquals(reference.getWidth(), src.width());
        assertNotNull(src.alpha());
        int n = src.width() * src.height(), x = src.width() / 2, y = src.height() / 2, i = y * src.width() + x;
        int p = reference.getRGB(x, y);
        assertEquals((p >> 16) & 0xff, Math.round(src.chw().get(i) * 255));
        assertEquals((p >> 8) & 0xff, Math.round(src.chw().get(n + i) * 255));
        assertEquals(p & 0xff, Math.round(src.chw().get(2 * n + i) * 255));
        assertEquals(p >>> 24, src.alpha()[i] & 0xff);
    }

    @Test
    void opaqueImagesCarryNoAlphaAndGreyIsNotBrightened() throws Exception {
        BufferedImage gray = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(3, 3, 0, 100);
        SourceImage src = SourceImage.decode(TestImages.encode(gray, "png"), 4, 1000, 100_000);
        assertNull(src.alpha());
        assertEquals(100, Math.round(src.chw().get(3 * 8 + 3) * 255), "grey samples are sRGB-coded already");
    }

    @Test
    void pixelLimitsAreCheckedFromTheHeaderBeforeDecoding() throws Exception {
        byte[] bomb = TestImages.bytes("bad/bomb-png-30000x30000-1bit.png");
        var e = assertThrows(InvocationProblem.PayloadTooLarge.class, () -> SourceImage.decode(bomb, 2, 1 << 20, 1 << 24));
        assertTrue(e.getMessage().contains("30000x30000"));
        assertThrows(InvocationProblem.InvalidImage.class, () -> SourceImage.decode(TestImages.bytes("bad/svg-script.svg"), 2, 1 << 20, 1 << 24));
        assertThrows(InvocationProblem.InvalidImage.class, () -> SourceImage.decode(TestImages.bytes("bad/empty.jpg"), 2, 1 << 20, 1 << 24));
    }
}
