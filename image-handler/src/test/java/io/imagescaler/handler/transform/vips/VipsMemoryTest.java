package io.imagescaler.handler.transform.vips;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.handler.transform.Limits;
import io.imagescaler.handler.transform.Pipeline;
import io.imagescaler.handler.transform.SourceInfo;
import io.imagescaler.handler.transform.probe.HeaderProbe;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every GObject a render makes is unreffed and every native buffer freed, on every path: 10,000 renders
 * leave the process's resident set flat. A control leaks on purpose (sessions never closed) and the same
 * measure sees it, so the check can fail.
 */
class VipsMemoryTest {
    private static final long FLAT_BOUND_KB = 32 * 1024;

    @Test
    void tenThousandRendersLeaveTheResidentSetFlat() throws Exception {
        byte[] src = Files.readAllBytes(testdata().resolve("webp-lossy-alpha-300.webp"));
        Pipeline engine = new Pipeline();
        SourceInfo info = engine.probe(src, Limits.DEFAULT);
        String[] transforms = {"w_32", "w_40,h_40,fit_cover,pos_smart", "w_48,h_30,fit_contain,bg_ff0000", "w_36,rot_90,blur_1"};
        ImageFormat[] formats = {ImageFormat.JPG, ImageFormat.PNG, ImageFormat.WEBP, ImageFormat.AVIF};
        for (int i = 0; i < 1000; i++) {
            engine.render(src, info, TransformSpec.parse(transforms[i % 4]), formats[i % 3 == 0 ? 0 : 2], Limits.DEFAULT);
        }
        System.gc();
        long before = residentKb();
        for (int i = 0; i < 10_000; i++) {
            // AVIF is slow to encode: one render in 50 keeps its encoder in the loop
            ImageFormat format = i % 50 == 0 ? ImageFormat.AVIF : formats[i % 3];
            engine.render(src, info, TransformSpec.parse(transforms[i % 4]), format, Limits.DEFAULT);
        }
        System.gc();
        long after = residentKb();

        // the control: the same renders' native side with the session never closed
        VipsBackend backend = new VipsBackend();
        var header = HeaderProbe.read(src, 100);
        for (int i = 0; i < 1000; i++) {
            VipsSession leaked = (VipsSession) backend.session();
            backend.load(leaked, src, null, header, 1, false).frames().getFirst().resize(32, 32).encode(ImageFormat.PNG, 80);
        }
        long leaking = residentKb();
        System.out.printf("resident set: %d kB after warm-up, %d kB after 10,000 renders (%+d kB); "
                + "1,000 unclosed sessions: %+d kB%n", before, after, after - before, leaking - after);
        assertTrue(after - before < FLAT_BOUND_KB, "resident set grew by " + (after - before) + " kB over 10,000 renders");
        assertTrue(leaking - after > FLAT_BOUND_KB, "the control should have leaked measurably: " + (leaking - after) + " kB");
    }

    private static long residentKb() throws IOException {
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
