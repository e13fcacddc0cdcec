package io.imagescaler.handler.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.handler.error.ImageScalerException.InvalidRequest;
import io.imagescaler.spec.TransformSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VariantBoundsTest {
    private static final Set<String> PRESETS = Set.of("thumb", "card");

    @Test
    void aLadderAllowsItsWidthsAndTransformsWithoutAWidth() {
        VariantBounds ladder = new VariantBounds(VariantBounds.parseLadder("640, 320,960"), false);
        assertEquals(List.of(320, 640, 960), ladder.widthLadder());
        assertDoesNotThrow(() -> ladder.check(TransformSpec.parse("w_320,q_70"), PRESETS));
        assertDoesNotThrow(() -> ladder.check(TransformSpec.parse("p_thumb"), PRESETS));
        var e = assertThrows(InvalidRequest.class, () -> ladder.check(TransformSpec.parse("w_321"), PRESETS));
        assertTrue(e.getMessage().contains("320, 640, 960"), e.getMessage());
        assertThrows(InvalidRequest.class, () -> ladder.check(TransformSpec.parse("p_thumb,w_100"), PRESETS));
    }

    @Test
    void presetsOnlyAllowsBarePresets() {
        VariantBounds presets = new VariantBounds(List.of(), true);
        assertDoesNotThrow(() -> presets.check(TransformSpec.parse("p_card"), PRESETS));
        var e = assertThrows(InvalidRequest.class, () -> presets.check(TransformSpec.parse("w_100"), PRESETS));
        assertTrue(e.getMessage().contains("card, thumb"), e.getMessage());
        assertThrows(InvalidRequest.class, () -> presets.check(TransformSpec.parse("p_card,gray"), PRESETS));
        assertThrows(InvalidRequest.class, () -> presets.check(TransformSpec.NONE, PRESETS));
    }

    @Test
    void noBoundsByDefaultAndBadSettingsAreRefused() {
        HandlerConfig defaults = HandlerConfig.fromEnvironment(Map.<String, String>of()::get);
        assertEquals(VariantBounds.NONE, defaults.variantBounds());
        assertDoesNotThrow(() -> defaults.variantBounds().check(TransformSpec.parse("w_333"), PRESETS));
        HandlerConfig tuned = HandlerConfig.fromEnvironment(Map.of("WIDTH_LADDER", "320,640", "PRESETS_ONLY", "TRUE")::get);
        assertEquals(new VariantBounds(List.of(320, 640), true), tuned.variantBounds());
        assertThrows(IllegalArgumentException.class,
                () -> HandlerConfig.fromEnvironment(Map.of("WIDTH_LADDER", "320,big")::get));
        assertThrows(IllegalArgumentException.class,
                () -> HandlerConfig.fromEnvironment(Map.of("WIDTH_LADDER", "0")::get));
        assertThrows(IllegalArgumentException.class,
                () -> HandlerConfig.fromEnvironment(Map.of("PRESETS_ONLY", "yes")::get));
    }
}
