package io.imagescaler.edge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The in-repo test images (testdata/ at the repository root; see testdata/SOURCES.md). */
final class Fixtures {
    private Fixtures() {
    }

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("testdata"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("testdata/ not found above " + Path.of("").toAbsolutePath());
        }
        return p.resolve("testdata");
    }

    static byte[] image(String name) {
        return read(root().resolve("images").resolve(name));
    }

    static byte[] bad(String name) {
        return read(root().resolve("bad").resolve(name));
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
