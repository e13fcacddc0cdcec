package io.imagescaler.handler.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.handler.transform.Limits;
import io.imagescaler.handler.transform.Pipeline;
import io.imagescaler.handler.transform.SourceInfo;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What processing a 20000x14000 (280 MP) JPEG costs in heap: the checks, the moderation copy and the
 * blurred master all decode with shrink-on-load (libjpeg's DCT scaling), so the heap holds the file and
 * small copies, never the 280 MP raster. Uses ../shared/testdata (skipped without it).
 */
class HugeJpegMemoryTest {
    /** The documented bound: peak heap growth while processing, well under the ~840 MB of one raster. */
    static final long HEAP_BOUND_BYTES = 128L * 1024 * 1024;

    /**
     * The pure-Java engine's bound: ImageIO subsamples the JPEG to at most 25 MP on the heap (17.5 MP
     * here, 4 bytes a pixel) and its working copies are heap arrays too.
     */
    static final long JAVA_ENGINE_HEAP_BOUND_BYTES = 400L * 1024 * 1024;

    @Test
    void a280MegapixelJpegIsProcessedInBoundedHeap() throws Exception {
        process(new Pipeline(), HEAP_BOUND_BYTES);
    }

    @Test
    void theJavaEngineProcessesItInBoundedHeapToo() throws Exception {
        process(new Pipeline(new io.imagescaler.handler.transform.portable.JavaBackend()), JAVA_ENGINE_HEAP_BOUND_BYTES);
    }

    private static void process(io.imagescaler.handler.transform.TransformEngine engine, long bound) throws Exception {
        Path file = sharedTestdata().resolve("bad/jpeg-20000x14000-grey-sharp.jpg");
        Assumptions.assumeTrue(Files.isRegularFile(file), "../shared/testdata not present");
        byte[] jpeg = Files.readAllBytes(file);
        // The default configuration: JPEGs may have up to MAX_JPEG_SOURCE_PIXELS (300 MP).
        Limits limits = io.imagescaler.handler.config.HandlerConfig.fromEnvironment(java.util.Map.<String, String>of()::get)
                .limitsFor(jpeg);
        assertEquals(300_000_000L, limits.maxSourcePixels());
        ModerationCheck check = new ModerationCheck(Optional.empty(), new ModerationPolicy(50, Set.of(), Set.of()),
                engine, Clock.systemUTC());

        System.gc();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        long before = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        long t0 = System.nanoTime();

        SourceInfo info = engine.probe(jpeg, limits);
        engine.render(jpeg, info, TransformSpec.parse("w_32,h_32"), ImageFormat.JPG, limits);   // decode check
        byte[] forModel = check.imageForModel(jpeg, info, limits);
        var blurred = BlurredMaster.render(engine, jpeg, info, limits);

        long ms = (System.nanoTime() - t0) / 1_000_000;
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        System.out.printf("%s, 280 MP JPEG (%d bytes): processing heap peak +%d MB over %d MB in use, %d ms; "
                + "process resident high-water mark %s%n", engine.getClass().getSimpleName(), jpeg.length, (peak - before) >> 20, before >> 20, ms,
                residentHighWaterMark());
        assertEquals(20000, info.width());
        assertEquals(14000, info.height());
        assertTrue(forModel.length <= Moderator.MAX_IMAGE_BYTES);
        assertEquals(1600, blurred.width());
        assertTrue(peak - before < bound, "heap grew by " + ((peak - before) >> 20) + " MB");
    }

    /** VmHWM of this JVM (native decode buffers included), for the report; "n/a" off Linux. */
    static String residentHighWaterMark() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                    .map(l -> l.substring(6).trim()).findFirst().orElse("n/a");
        } catch (java.io.IOException e) {
            return "n/a";
        }
    }

    /** $IMAGE_SCALER_SHARED_TESTDATA, else the first shared/testdata above the working directory. */
    static Path sharedTestdata() {
        String override = System.getenv("IMAGE_SCALER_SHARED_TESTDATA");
        if (override != null) return Path.of(override);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("shared/testdata"))) return p.resolve("shared/testdata");
        }
        return Path.of("/nonexistent");
    }
}
