package io.imagescaler.handler.transform.portable;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ShrinkOnLoadRuleTest {

    /** Both engines leave the same area reduction after shrink-on-load (the native constant is package-private). */
    @Test
    void theResidualRuleIsTheNativeOne() throws Exception {
        var field = Class.forName("io.imagescaler.handler.transform.ShrinkOnLoad").getDeclaredField("MIN_RESIDUAL");
        field.setAccessible(true);
        assertEquals(field.getDouble(null), ShrinkOnLoad.MIN_RESIDUAL);
    }
}
