package io.imagescaler.handler.images;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.handler.config.HandlerConfig.Resilience;
import io.imagescaler.handler.error.ImageScalerException.LimitExceeded;
import io.imagescaler.spec.TransformSpec;
import org.junit.jupiter.api.Test;

class RenderCostTest {
    private final RenderCost cost = new RenderCost(Resilience.DEFAULT);

    @Test
    void theOutputBoundFollowsFitAndUpscale() {
        // inside without up_: never above the original
        assertEquals(4000L * 3000, RenderCost.outputPixelsAtMost(TransformSpec.parse("w_8000"), 4000, 3000));
        assertEquals(800L * 600, RenderCost.outputPixelsAtMost(TransformSpec.parse("w_800"), 4000, 3000));
        // up_ enlarges; fill and contain make the box whatever the original
        assertEquals(8000L * 6000, RenderCost.outputPixelsAtMost(TransformSpec.parse("w_8000,up_lanczos"), 4000, 3000));
        assertEquals(8192L * 8192, RenderCost.outputPixelsAtMost(TransformSpec.parse("w_8192,h_8192,fit_fill"), 100, 100));
        assertEquals(400L * 400, RenderCost.outputPixelsAtMost(TransformSpec.parse("w_200,h_200,fit_cover,dpr_2"), 4000, 3000));
    }

    @Test
    void theIssuesTwentyFiveSecondRenderIsRefusedUpFrontWith400() {
        var e = assertThrows(LimitExceeded.class, () -> cost.check(
                TransformSpec.parse("w_8192,h_8192,fit_fill,up_lanczos,blur_100"), 4000, 3000, 1));
        assertEquals(400, e.status());
        assertEquals("limit-exceeded", e.slug());
        assertTrue(e.getMessage().contains("pixels"), e.getMessage());
    }

    @Test
    void aLargeBlurOverALargeOutputIsRefusedAndASmallOneFits() {
        var e = assertThrows(LimitExceeded.class, () -> cost.check(TransformSpec.parse("blur_100"), 4000, 3000, 1));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("kernel taps"), e.getMessage());
        assertDoesNotThrow(() -> cost.check(TransformSpec.parse("w_800,blur_100"), 4000, 3000, 1));
        assertDoesNotThrow(() -> cost.check(TransformSpec.parse("blur_5"), 4000, 3000, 1));
        // every frame of an animation is blurred
        assertThrows(LimitExceeded.class, () -> cost.check(TransformSpec.parse("w_800,blur_50"), 800, 600, 100));
    }

    @Test
    void anImageAboveAnImageLimitStays422() {
        assertEquals(422, new LimitExceeded("too many pixels").status());
    }
}
