package io.imagescaler.edge.negotiation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the CloudFront Function's source under node against the same table the Java class is tested with
 * (src/test/node/auto-format.test.js). Skipped where node is not installed.
 */
class AutoFormatFunctionTest {
    @Test
    void cloudFrontFunctionAgreesWithTheTable() throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("node", "src/test/node/auto-format.test.js",
                    Path.of("src/main/resources/edge/auto-format.js").toString(),
                    Path.of("src/main/resources/edge/accept-formats.json").toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "node is not installed");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("ok "), out);
    }
}
