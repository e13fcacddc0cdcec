package io.imagescaler.handler.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.handler.transform.EncoderEffort;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HandlerConfigTest {

    @Test
    void defaultsNeedNothingButAreOverridable() {
        HandlerConfig c = HandlerConfig.fromEnvironment(Map.<String, String>of()::get);
        assertEquals("image-storage", c.originalsBucket());
        assertEquals("image-storage-generated", c.generatedBucket());
        assertEquals(50_000_000L, c.limits().maxSourcePixels());
        assertTrue(c.endpoints().isEmpty(), "no local endpoints on AWS");
        assertEquals("w_150,h_150,fit_cover", c.presets().get("thumb").canonical());

        HandlerConfig tuned = HandlerConfig.fromEnvironment(Map.of("MAX_FRAMES", "5", "PRESETS",
                "tiny=fit_cover,w_10,h_10;wide=w_2000")::get);
        assertEquals(5, tuned.limits().maxFrames());
        assertEquals("w_10,h_10,fit_cover", tuned.presets().get("tiny").canonical());
        assertFalse(tuned.presets().containsKey("thumb"));
    }

    @Test
    void localEndpointsComeInPairsAndSecretsAreRedacted() {
        assertThrows(IllegalArgumentException.class,
                () -> HandlerConfig.fromEnvironment(Map.of("S3_ENDPOINT", "http://127.0.0.1:1")::get));
        HandlerConfig c = HandlerConfig.fromEnvironment(Map.of("S3_ENDPOINT", "http://127.0.0.1:1",
                "DYNAMODB_ENDPOINT", "http://127.0.0.1:2", "LOCAL_SECRET_KEY", "hunter2")::get);
        assertFalse(c.toString().contains("hunter2"));
    }

    @Test
    void badPresetsFailAtStart() {
        assertThrows(IllegalArgumentException.class, () -> HandlerConfig.parsePresets("x=w_0"));
        assertThrows(IllegalArgumentException.class, () -> HandlerConfig.parsePresets("x=p_y"));
        assertThrows(IllegalArgumentException.class, () -> HandlerConfig.parsePresets("novalue"));
    }

    @Test
    void theModerationPreFilterIsOffUnlessAThresholdIsGiven() {
        assertTrue(HandlerConfig.fromEnvironment(Map.<String, String>of()::get).moderation().prefilterThreshold().isEmpty());
        assertEquals(0.98, HandlerConfig.fromEnvironment(Map.of("MODERATION_PREFILTER_THRESHOLD", "0.98")::get)
                .moderation().prefilterThreshold().orElseThrow());
        for (String bad : new String[] {"0", "1.5", "-0.1", "NaN"}) {
            assertThrows(IllegalArgumentException.class,
                    () -> HandlerConfig.fromEnvironment(Map.of("MODERATION_PREFILTER_THRESHOLD", bad)::get), bad);
        }
    }

    @Test
    void encoderEffortIsSharpsUnlessSetAndABadValueNamesItsSetting() {
        assertEquals(new EncoderEffort(4, 4), HandlerConfig.fromEnvironment(Map.<String, String>of()::get).encoderEffort());
        assertEquals(new EncoderEffort(2, 3), HandlerConfig.fromEnvironment(Map.of("WEBP_EFFORT", "2", "AVIF_EFFORT",
                " 3 ")::get).encoderEffort());
        for (Map<String, String> bad : java.util.List.of(Map.of("AVIF_EFFORT", "10"), Map.of("AVIF_EFFORT", "fast"),
                Map.of("WEBP_EFFORT", "7"), Map.of("WEBP_EFFORT", "-1"))) {
            String name = bad.keySet().iterator().next();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HandlerConfig.fromEnvironment(bad::get), bad.toString());
            assertTrue(e.getMessage().startsWith("configuration: " + name + " is 0 (fastest) to "), e.getMessage());
            assertTrue(e.getMessage().endsWith("got '" + bad.get(name) + "'"), e.getMessage());
        }
    }
}
