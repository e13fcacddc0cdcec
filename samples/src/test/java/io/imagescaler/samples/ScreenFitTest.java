package io.imagescaler.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imagescaler.samples.mobile.ScreenFit;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ScreenFitTest {

    @ParameterizedTest(name = "{0} dp x {1} -> {2}")
    @CsvSource({
            "48, 2, p_avatar",     // 96 px: avatar is exactly that wide
            "49, 2, p_thumb",      // 98 px
            "40, 2, p_avatar",     // 80 px
            "75, 2, p_thumb",      // 150 px
            "320, 1, p_card",      // 320 px
            "300, 2, p_card",      // 600 px exactly
            "390, 3, p_hero",      // 1170 px
            "1024, 2, p_hero",     // 2048 px: nothing is that wide, the largest
    })
    void presets(int width, double dpr, String expected) {
        assertEquals(expected, ScreenFit.preset(width, dpr, ScreenFit.DEFAULT_PRESETS).transform());
    }

    @ParameterizedTest(name = "{0} dp x {1} -> {2}")
    @CsvSource({
            "360, 1, w_640",
            "320, 2, w_640",
            "390, 3, w_1280",
            "412, 2.625, w_1280",  // 1082 px
            "1280, 2, w_1920",     // 2560 px: the largest
    })
    void ladder(int width, double dpr, String expected) {
        assertEquals(expected, ScreenFit.ladder(width, dpr, List.of(1920, 320, 640, 960, 1280)).transform());
    }

    @Test
    void impossibleScreensAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ScreenFit.pixelsNeeded(0, 2));
        assertThrows(IllegalArgumentException.class, () -> ScreenFit.pixelsNeeded(390, 5));
    }
}
