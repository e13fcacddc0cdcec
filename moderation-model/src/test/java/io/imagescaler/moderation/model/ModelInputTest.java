package io.imagescaler.moderation.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** nsfwjs's preprocessing, on synthetic pixels whose expected values can be worked out by hand. */
class ModelInputTest {

    @Test
    void anImageOfTheModelsSizeIsOnlyDividedBy255() {
        BufferedImage img = new BufferedImage(224, 224, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(3, 5, 0x00FF8001);            // fully transparent: alpha is dropped, not composited
        float[] in = ModelInput.fromPixels(img);
        int at = (5 * 224 + 3) * 3;
        assertThat(in[at]).isEqualTo((float) (255 / 255.0));
        assertThat(in[at + 1]).isEqualTo((float) (128 / 255.0));
        assertThat(in[at + 2]).isEqualTo((float) (1 / 255.0));
    }

    @Test
    void alignCornersMapsCornerToCornerAndInterpolatesBetween() {
        // 2 x 1 pixels black | white: align-corners puts column 0 on black, column 223 on white,
        // and column c at c / 223 of the way
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0x000000);
        img.setRGB(1, 0, 0xFFFFFF);
        float[] in = ModelInput.fromPixels(img);
        for (int r : new int[] {0, 100, 223}) {
            assertThat(in[(r * 224) * 3]).isEqualTo(0f);
            assertThat(in[(r * 224 + 223) * 3]).isEqualTo(1f);
            assertThat(in[(r * 224 + 100) * 3]).isEqualTo((float) (100 / 223.0));
        }
    }

    @Test
    void graySamplesAreReplicatedNotColourConverted() {
        BufferedImage img = new BufferedImage(224, 224, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(0, 0, 0, 100);
        float[] in = ModelInput.fromPixels(img);
        assertThat(in[0]).isEqualTo((float) (100 / 255.0));
        assertThat(in[1]).isEqualTo(in[0]);
        assertThat(in[2]).isEqualTo(in[0]);
    }
}
