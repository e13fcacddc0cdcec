package io.imagescaler.handler.transform.vips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
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
        Path tmp = NativeLibraries.open().library().getParent().getParent(); // the first open loads classes
        Set<Path> entriesBefore = natives(tmp);
        long before = threads.getCurrentThreadAllocatedBytes();
        NativeLibraries.Opened opened = NativeLibraries.open();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        long size = Files.size(opened.library());
        assertTrue(size > 10_000_000, "libvips is " + size + " bytes");
        assertTrue(allocated < size / 4, "opening libvips allocated " + allocated + " bytes of heap for a "
                + size + "-byte library");
        assertTrue(opened.lookup().find("vips_init").isPresent());
        // its staging copy is gone: /tmp holds what it held before (the content-named directory included)
        assertEquals(entriesBefore, natives(tmp), "a staging directory was left behind");
    }

    private static Set<Path> natives(Path tmp) throws java.io.IOException {
        try (Stream<Path> entries = Files.list(tmp)) {
            return entries.filter(p -> p.getFileName().toString().startsWith("image-scaler-natives-"))
                    .collect(Collectors.toSet());
        }
    }
}
