package io.imagescaler.handler.transform.vips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Opening libvips copies ~20 MB of libraries out of the jar. Streamed, that costs the heap a few buffers;
 * read whole into byte arrays (as it once was) it grew the heap, and so the process's resident set, by
 * about 40 MB for its whole life: the engine bench's JVM then peaked at 1.5-1.7x sharp's resident set.
 */
class NativeLibrariesTest {

    @Test
    void openingStreamsTheLibrariesOutOfTheJarWithoutHoldingThemInTheHeap() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        NativeLibraries.open(); // the first open may load classes and JDK caches; measure a second one
        long before = threads.getCurrentThreadAllocatedBytes();
        NativeLibraries.Opened opened = NativeLibraries.open();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        long size = Files.size(opened.library());
        assertTrue(size > 10_000_000, "libvips is " + size + " bytes");
        assertTrue(allocated < size / 4, "opening libvips allocated " + allocated + " bytes of heap for a "
                + size + "-byte library");
        assertTrue(opened.lookup().find("vips_init").isPresent());
        // the staging copy is gone: what stays in /tmp is the one content-named directory
        try (Stream<Path> left = Files.list(opened.library().getParent().getParent())) {
            assertEquals(0, left.filter(p -> p.getFileName().toString().startsWith("image-scaler-natives-"))
                    .filter(p -> !p.equals(opened.library().getParent()))
                    .filter(p -> !p.getFileName().toString().matches("image-scaler-natives-[0-9a-f]{16}"))
                    .count(), "a staging directory was left behind");
        }
    }
}
