package io.imagescaler.cdk;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Context values are refused at synth time when a deployment would fail or misbehave with them. */
class DeploymentSettingsTest {

    private static DeploymentSettings with(int memory, int timeout, int expiry, int srMax, String table) {
        return new DeploymentSettings(Path.of("x.jar"), Path.of("waf"), memory, timeout, expiry, false,
                "ml.g5.xlarge", "image", "", srMax, Optional.empty(), Optional.empty(), table, true,
                Optional.empty(), Optional.empty(), Optional.empty(), "x86_64", Optional.empty(), Optional.empty());
    }

    @Test
    void acceptsTheDefaults() {
        assertDoesNotThrow(() -> with(3008, 29, 7, 2, "image-records"));
    }

    @Test
    void refusesATimeoutApiGatewayWouldCutShort() {
        var e = assertThrows(IllegalArgumentException.class, () -> with(3008, 30, 7, 2, "image-records"));
        assertTrue(e.getMessage().contains("29"), e.getMessage());
    }

    @Test
    void refusesMemoryOutsideLambdasRangeAndEmptyNames() {
        assertThrows(IllegalArgumentException.class, () -> with(256, 29, 7, 2, "image-records"));
        assertThrows(IllegalArgumentException.class, () -> with(10241, 29, 7, 2, "image-records"));
        assertThrows(IllegalArgumentException.class, () -> with(3008, 29, 0, 2, "image-records"));
        assertThrows(IllegalArgumentException.class, () -> with(3008, 29, 7, 0, "image-records"));
        assertThrows(IllegalArgumentException.class, () -> with(3008, 29, 7, 2, " "));
    }

    @Test
    void refusesAnArchitectureLambdaDoesNotRun() {
        var e = assertThrows(IllegalArgumentException.class, () -> new DeploymentSettings(Path.of("x.jar"), Path.of("waf"),
                3008, 29, 7, false, "ml.g5.xlarge", "image", "", 2, Optional.empty(), Optional.empty(), "t", true,
                Optional.empty(), Optional.empty(), Optional.empty(), "ppc64le", Optional.empty(), Optional.empty()));
        assertTrue(e.getMessage().contains("x86_64 or arm64"), e.getMessage());
    }

    @Test
    void refusesAnEncoderEffortLibvipsDoesNotHave() {
        var avif = assertThrows(IllegalArgumentException.class, () -> new DeploymentSettings(Path.of("x.jar"),
                Path.of("waf"), 3008, 29, 7, false, "ml.g5.xlarge", "image", "", 2, Optional.empty(), Optional.empty(),
                "t", true, Optional.empty(), Optional.empty(), Optional.empty(), "x86_64", Optional.empty(),
                Optional.of(10)));
        assertTrue(avif.getMessage().contains("avifEffort must be 0..9"), avif.getMessage());
        var webp = assertThrows(IllegalArgumentException.class, () -> new DeploymentSettings(Path.of("x.jar"),
                Path.of("waf"), 3008, 29, 7, false, "ml.g5.xlarge", "image", "", 2, Optional.empty(), Optional.empty(),
                "t", true, Optional.empty(), Optional.empty(), Optional.empty(), "x86_64", Optional.of(7),
                Optional.empty()));
        assertTrue(webp.getMessage().contains("webpEffort must be 0..6"), webp.getMessage());
    }
}
