package io.imagescaler.lambdapackage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Lambda jar's engine on an older OS than Lambda's: a Debian bullseye minbase root (glibc 2.31 against
 * Amazon Linux 2023's 2.34) built by debootstrap and cached under target/, with this JDK copied in and
 * every libstdc++/libgcc_s removed. The self-test renders a real photo (CMYK with an ICC profile) to JPEG,
 * PNG, WebP, AVIF and GIF on libvips, never the fallback. Skips, saying why, where debootstrap or chroot
 * cannot run (not root, no debootstrap, no mirror).
 */
class OlderGlibcTest {

    @Test
    void theEngineRendersEveryFormatOnGlibc231WithoutACxxRuntime() throws Exception {
        assumeTrue("x86_64".equals(System.getProperty("os.arch")) || "amd64".equals(System.getProperty("os.arch")),
                "the root is built for x86_64");
        assumeTrue(onPath("debootstrap") && onPath("chroot"), "debootstrap/chroot not installed (apt-get install debootstrap)");
        assumeTrue("root".equals(System.getProperty("user.name")), "debootstrap and chroot need root");
        Path script = Path.of(getClass().getResource("/older-glibc-check.sh").toURI());
        Path root = Path.of("target", "bullseye-root").toAbsolutePath();
        Path photo = LambdaPackage.repoRoot().resolve("testdata/images/jpeg-cmyk-swop-icc-channel.jpg");
        Process p = new ProcessBuilder(List.of("bash", script.toString(), root.toString(), System.getProperty("java.home"),
                LambdaPackage.jar().toString(), photo.toString())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), "timed out: " + out);
        System.out.print(out);
        assumeTrue(p.exitValue() != 3, "debootstrap could not build the bullseye root (no mirror?): " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("GLIBC 2.31"), out);
        for (String format : List.of("jpg ", "png ", "webp ", "avif ", "gif ")) {
            assertTrue(out.contains(format + "400x266"), format + "missing: " + out);
        }
        assertTrue(out.contains("engine: libvips 8.18.7") && out.contains("self-test passed"), out);
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }
}
