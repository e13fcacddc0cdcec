package io.imagescaler.handler.transform.portable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The VP8L writer is exact: what it writes, libwebp (through libvips) and the TwelveMonkeys reader decode
 * back to the same ARGB, pixel for pixel, for the cases that stress each part of the format: noise
 * (long prefix codes, no runs), flat colour (one-symbol codes), gradients (predictors), runs (backward
 * references), tile edges and 1-pixel sides, alpha and no alpha.
 */
class LosslessWebpTest {

    static Stream<Arguments> images() {
        return Stream.of(
                Arguments.of("noise with alpha", image(97, 61, true, (x, y, r) -> r.nextInt())),
                Arguments.of("noise opaque", image(64, 64, false, (x, y, r) -> r.nextInt() | 0xff000000)),
                Arguments.of("flat", image(40, 30, false, (x, y, r) -> 0xff3366cc)),
                Arguments.of("transparent", image(33, 17, true, (x, y, r) -> 0)),
                Arguments.of("gradient", image(300, 200, false, (x, y, r) -> 0xff000000 | x * 255 / 299 << 16
                        | y * 255 / 199 << 8 | (x + y) % 256)),
                Arguments.of("stripes and runs", image(257, 129, true, (x, y, r) -> (x / 7 % 2 == 0) ? 0xffffffff
                        : (y % 5 == 0 ? 0x80ff0000 : 0x00000000))),
                Arguments.of("one pixel", image(1, 1, true, (x, y, r) -> 0x7f102030)),
                Arguments.of("one row", image(1000, 1, false, (x, y, r) -> 0xff000000 | (x * 31) % 256 << 8)),
                Arguments.of("one column", image(1, 777, false, (x, y, r) -> 0xff000000 | (y * 13) % 256)),
                Arguments.of("long runs", image(5000, 3, false, (x, y, r) -> x < 4500 ? 0xff00ff00 : 0xff0000ff)),
                Arguments.of("few colours", image(120, 90, true, (x, y, r) -> new int[] {0xff112233, 0x80445566,
                        0xffffffff, 0x00000000}[r.nextInt(4)])));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void decodersGetTheExactPixelsBack(String name, Pixels p) throws IOException {
        byte[] webp = LosslessWebp.encode(p);
        assertEquals("RIFF", new String(webp, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
        assertEquals(webp.length - 8, (webp[4] & 0xff) | (webp[5] & 0xff) << 8 | (webp[6] & 0xff) << 16 | (webp[7] & 0xff) << 24);

        // libwebp's decoder, inside libvips: the lossless image back as a PNG, which keeps every sample
        io.imagescaler.handler.transform.Pipeline vips = new io.imagescaler.handler.transform.Pipeline();
        byte[] png = vips.render(webp, vips.probe(webp, io.imagescaler.handler.transform.Limits.DEFAULT),
                io.imagescaler.spec.TransformSpec.parse("full"), io.imagescaler.spec.ImageFormat.PNG,
                io.imagescaler.handler.transform.Limits.DEFAULT).bytes();
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(p.width(), decoded.getWidth(), name);
        assertEquals(p.height(), decoded.getHeight(), name);
        int[] libwebp = decoded.getRGB(0, 0, p.width(), p.height(), null, 0, p.width());
        if (!decoded.getColorModel().hasAlpha()) {
            for (int i = 0; i < libwebp.length; i++) {
                libwebp[i] |= 0xff000000;
            }
        }
        assertArrayEquals(expected(p), libwebp, name + " through libwebp");

        BufferedImage twelveMonkeys = ImageIO.read(new ByteArrayInputStream(webp));
        int[] tm = twelveMonkeys.getRGB(0, 0, p.width(), p.height(), null, 0, p.width());
        int[] want = expected(p);
        for (int i = 0; i < want.length; i++) {
            if ((want[i] >>> 24) == 0) {
                tm[i] &= 0xff000000; // a premultiplying reader may drop the colour of invisible pixels
                want[i] &= 0xff000000;
            }
        }
        assertArrayEquals(want, tm, name + " through TwelveMonkeys");
    }

    /** What a decoder must return: the pixels, opaque ones with alpha 0xff. */
    private static int[] expected(Pixels p) {
        int[] out = p.argb().clone();
        if (!p.alpha()) {
            for (int i = 0; i < out.length; i++) {
                out[i] |= 0xff000000;
            }
        }
        return out;
    }

    interface Painter {
        int argb(int x, int y, Random random);
    }

    private static Pixels image(int w, int h, boolean alpha, Painter painter) {
        Random random = new Random(w * 31L + h);
        int[] argb = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = painter.argb(x, y, random);
                argb[y * w + x] = alpha ? v : v | 0xff000000;
            }
        }
        return new Pixels(w, h, argb, alpha);
    }
}
