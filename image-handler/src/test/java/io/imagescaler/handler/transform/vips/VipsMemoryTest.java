package io.imagescaler.handler.transform.vips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.handler.transform.Limits;
import io.imagescaler.handler.transform.Pipeline;
import io.imagescaler.handler.transform.SourceInfo;
import io.imagescaler.handler.transform.probe.HeaderProbe;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every GObject a render makes is unreffed and every native buffer freed, on every path: 10,000 renders
 * (four transforms incl. smart crop, pad, a quarter turn, blur and sharpen; JPEG, PNG, WebP and AVIF out)
 * leave the process's resident set flat. They run in a child JVM whose heap is fixed and touched up front
 * (-Xms = -Xmx, AlwaysPreTouch), so the resident set moves only with native memory. A control in the same
 * child leaks on purpose (sessions never closed) and the same measure sees it, so the check can fail.
 */
class VipsMemoryTest {
    private static final long FLAT_BOUND_KB = 8 * 1024;

    @Test
    void tenThousandRendersLeaveTheResidentSetFlat() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process p = new ProcessBuilder(List.of(java, "-Xms160m", "-Xmx160m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC", "-XX:ReservedCodeCacheSize=32m",
                "--enable-native-access=ALL-UNNAMED",
                "-cp", classpath.replace(File.pathSeparator + File.pathSeparator, File.pathSeparator),
                Renders.class.getName(), testdata().resolve("jpeg-tiny-40x60-orient3.jpg").toString()))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "timed out: " + out);
        assertEquals(0, p.exitValue(), out);
        String[] kb = out.lines().filter(l -> l.startsWith("rss ")).reduce((a, b) -> b).orElseThrow().split(" ");
        long warm = Long.parseLong(kb[1]);
        long after = Long.parseLong(kb[2]);
        long leaking = Long.parseLong(kb[3]);
        System.out.printf("resident set: %d kB after 4,000 warm-up renders, %d kB after 10,000 more (%+d kB); "
                + "3,000 renders with unclosed sessions: %+d kB%n", warm, after, after - warm, leaking - after);
        assertTrue(after - warm < FLAT_BOUND_KB, "resident set grew by " + (after - warm) + " kB over 10,000 renders");
        assertTrue(leaking - after > 10 * FLAT_BOUND_KB, "the control should have leaked measurably: " + (leaking - after) + " kB");
    }

    /** The child: prints {@code rss WARM AFTER LEAKING} in kB. */
    public static final class Renders {
        public static void main(String[] args) throws Exception {
            byte[] src = Files.readAllBytes(Path.of(args[0]));
            Pipeline engine = new Pipeline();
            SourceInfo info = engine.probe(src, Limits.DEFAULT);
            // warm-up with the same mix: the JIT, and codecs' first-use state (aom's AVIF encoder allocates
            // ~15 MB at its first encode), are not a leak
            for (int i = 0; i < 4000; i++) {
                render(engine, src, info, i);
            }
            long warm = rssKb();
            for (int i = 0; i < 10_000; i++) {
                render(engine, src, info, i);
            }
            long after = rssKb();
            VipsBackend backend = new VipsBackend();
            var header = HeaderProbe.read(src, 100);
            for (int i = 0; i < 3000; i++) {
                VipsSession leaked = (VipsSession) backend.session();
                backend.load(leaked, src, null, header, 1, false).frames().getFirst().resize(32, 48)
                        .encode(ImageFormat.PNG, 80);
            }
            System.out.println("rss " + warm + " " + after + " " + rssKb());
        }

        private static final String[] TRANSFORMS = {"w_32", "w_20,h_20,fit_cover,pos_smart",
            "w_30,h_20,fit_contain,bg_ff0000", "w_24,rot_90,blur_1,sharpen_1"};
        private static final ImageFormat[] FORMATS = {ImageFormat.JPG, ImageFormat.PNG, ImageFormat.WEBP};

        /** JPEG, PNG, WebP in turn; AVIF, slow to encode, one render in 250. */
        private static void render(Pipeline engine, byte[] src, SourceInfo info, int i) {
            ImageFormat format = i % 250 == 0 ? ImageFormat.AVIF : FORMATS[i % 3];
            engine.render(src, info, TransformSpec.parse(TRANSFORMS[i % 4]), format, Limits.DEFAULT);
        }
    }

    private static long rssKb() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElseThrow();
    }

    private static Path testdata() {
        Path p = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(p.resolve("testdata"))) {
            p = p.getParent();
        }
        return p.resolve("testdata/images");
    }
}
