package io.imagescaler.handler.transform;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The in-repo fixtures (testdata/, see testdata/SOURCES.md) and, when present, ../shared/testdata. */
final class TestImages {
    private TestImages() {
    }

    static Path repoTestdata() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("testdata"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("testdata/ not found above " + Path.of("").toAbsolutePath());
        }
        return p.resolve("testdata");
    }

    /** ../shared/testdata next to the repository (or $IMAGE_SCALER_SHARED_TESTDATA), if present. */
    static Optional<Path> sharedTestdata() {
        String override = System.getenv("IMAGE_SCALER_SHARED_TESTDATA");
        Path shared = override != null ? Path.of(override)
                : repoTestdata().getParent().getParent().resolve("shared").resolve("testdata");
        return Files.isDirectory(shared) ? Optional.of(shared) : Optional.empty();
    }

    static byte[] image(String name) {
        return read(repoTestdata().resolve("images").resolve(name));
    }

    static List<Path> files(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".md")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decodes an output (or a reference) with ImageIO: the JDK's PNG/GIF and TwelveMonkeys' JPEG/WebP
     * readers, independent of the engine. AVIF, which no Java reader decodes, is first turned into a PNG
     * by libvips' AV1 decoder (libheif + aom), the engine's decoder but not its encoder.
     */
    static Img decode(byte[] encoded) {
        if (encoded.length > 12 && new String(encoded, 4, 8, java.nio.charset.StandardCharsets.ISO_8859_1).startsWith("ftypavi")) {
            Pipeline vips = new Pipeline();
            encoded = vips.render(encoded, vips.probe(encoded, Limits.DEFAULT), io.imagescaler.spec.TransformSpec.parse("full"),
                    io.imagescaler.spec.ImageFormat.PNG, Limits.DEFAULT).bytes();
        }
        try {
            java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(encoded));
            return image == null ? new Img(0, 0, 0, new int[0]) : Img.of(image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Mean absolute difference per channel value of two images of the same size. */
    static double meanAbsDiff(Img a, Img b) {
        double sum = 0;
        int channels = Math.min(a.channels(), b.channels());
        for (int y = 0; y < a.rows(); y++) {
            for (int x = 0; x < a.cols(); x++) {
                for (int c = 0; c < channels; c++) {
                    sum += Math.abs(a.get(y, x, c) - b.get(y, x, c));
                }
            }
        }
        return sum / ((double) a.rows() * a.cols() * channels);
    }
}
