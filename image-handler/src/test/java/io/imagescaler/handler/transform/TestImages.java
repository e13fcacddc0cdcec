package io.imagescaler.handler.transform;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;

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

    /** Decodes an output with OpenCV, keeping alpha, ignoring nothing. */
    static Mat decode(byte[] encoded) {
        return imdecode(new Mat(encoded), IMREAD_UNCHANGED);
    }

    /** Mean absolute difference per channel value of two images of the same size and type. */
    static double meanAbsDiff(Mat a, Mat b) {
        Mat diff = new Mat();
        org.bytedeco.opencv.global.opencv_core.absdiff(a, b, diff);
        org.bytedeco.opencv.opencv_core.Scalar mean = org.bytedeco.opencv.global.opencv_core.mean(diff);
        double sum = 0;
        for (int c = 0; c < a.channels(); c++) {
            sum += mean.get(c);
        }
        return sum / a.channels();
    }
}
