package io.imagescaler.sr;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What PngEncoder writes decodes (with ImageIO, an independent reader) to exactly the pixels it was given. */
class PngEncoderTest {

    @Test
    void rgbPhotoRoundTripsExactly() throws IOException {
        BufferedImage photo = TestImages.diceCrop(200, 150, 301, 203); // odd sizes: no row or chunk alignment luck
        BufferedImage back = decode(PngEncoder.encode(photo));
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, back.getType(), "an opaque image is written as RGB");
        assertArrayEquals(photo.getRGB(0, 0, 301, 203, null, 0, 301), back.getRGB(0, 0, 301, 203, null, 0, 301));
    }

    @Test
    void alphaAndNoiseRoundTripExactlyAcrossManyIdatChunks() throws IOException {
        int w = 700, h = 300; // incompressible: several 64 KiB IDAT chunks
        BufferedImage argb = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        SplittableRandom random = new SplittableRandom(7);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) argb.setRGB(x, y, random.nextInt());
        byte[] png = PngEncoder.encode(argb);
        assertTrue(png.length > 4 * 65536);
        BufferedImage back = decode(png);
        assertTrue(back.getColorModel().hasAlpha());
        assertArrayEquals(argb.getRGB(0, 0, w, h, null, 0, w), back.getRGB(0, 0, w, h, null, 0, w));
    }

    @Test
    void refusesImagesItDoesNotPack() {
        assertThrows(IllegalArgumentException.class,
                () -> PngEncoder.encode(new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY)));
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertTrue(image != null, "ImageIO could not read the PNG");
        return image;
    }
}
