package io.imagescaler.handler.transform;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_core.hconcat;
import static org.bytedeco.opencv.global.opencv_core.vconcat;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.handler.transform.portable.PortablePipeline;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

/**
 * The pure-Java engine against the native one, on every in-repo fixture and (when present) every image
 * of ../shared/testdata, for the bench workloads in their output formats: W1 (inside 800x800 → JPEG,
 * and → WebP, which is lossless on the Java side and so is held against the native PNG), W2 (400 px
 * wide → PNG), W3 (200x200 cover → JPEG). Same size,
 * SSIM of the luma ≥ 0.95, and each colour channel's mean within 4 levels (SSIM alone is blind to a
 * colour cast, e.g. a skipped ICC conversion). The quality bar proper is ReferenceSimilarityTest, which
 * holds each engine to vipsthumbnail at 0.97; two engines each within that of the reference can be a
 * little further from each other (the native engine halves big reductions with 2x2 boxes, the Java one
 * averages the whole area at once: 0.958 on the palette map at 200 px), while a wrong orientation, crop
 * or colour conversion scores far lower. Writes target/portable-contact-sheet.png: per image one
 * line of (native | java) pairs for the four workloads.
 */
class PortableSimilarityTest {
    private static final double MIN_SSIM = 0.95;
    private static final double MAX_MEAN_SHIFT = 4;
    private static final List<Object[]> WORKLOADS = List.of(
            new Object[] {"W1-jpeg", "w_800,h_800", ImageFormat.JPG},
            new Object[] {"W1-webp", "w_800,h_800", ImageFormat.WEBP},
            new Object[] {"W2-png", "w_400", ImageFormat.PNG},
            new Object[] {"W3", "w_200,h_200,fit_cover", ImageFormat.JPG});

    @Test
    void javaOutputsMatchNativeOutputs() throws Exception {
        List<Path> images = new ArrayList<>(TestImages.files(TestImages.repoTestdata().resolve("images")));
        TestImages.sharedTestdata().ifPresent(s -> TestImages.files(s.resolve("images")).stream()
                .filter(p -> images.stream().noneMatch(q -> q.getFileName().equals(p.getFileName())))
                .forEach(images::add));
        Pipeline nativeEngine = new Pipeline();
        PortablePipeline javaEngine = new PortablePipeline();
        List<String> failures = new ArrayList<>();
        List<Mat> lines = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        for (Path image : images) {
            byte[] src = TestImages.read(image);
            SourceInfo info = nativeEngine.probe(src, Limits.DEFAULT);
            assertEquals(info, javaEngine.probe(src, Limits.DEFAULT), image.getFileName().toString());
            List<Mat> cells = new ArrayList<>();
            for (Object[] w : WORKLOADS) {
                TransformSpec spec = TransformSpec.parse((String) w[1]);
                ImageFormat format = (ImageFormat) w[2];
                // The Java engine's WebP is lossless: held against the native pixels (its PNG), not against
                // libwebp's lossy artefacts.
                Rendered n = nativeEngine.render(src, info, spec, format == ImageFormat.WEBP ? ImageFormat.PNG : format,
                        Limits.DEFAULT);
                Rendered j = javaEngine.render(src, info, spec, format, Limits.DEFAULT);
                Mat theirs = TestImages.decode(n.bytes());
                Mat ours = TestImages.decode(j.bytes());
                double ssim = Ssim.of(ours, theirs);
                double[] shift = meanShift(ours, theirs);
                double worst = Math.max(shift[0], Math.max(shift[1], shift[2]));
                String line = String.format(Locale.ROOT,
                        "%-40s %-8s native=%dx%d %7dB java=%dx%d %7dB ssim=%.4f mean-shift=%.1f",
                        image.getFileName(), w[0], theirs.cols(), theirs.rows(), n.bytes().length, ours.cols(),
                        ours.rows(), j.bytes().length, ssim, worst);
                report.append(line).append('\n');
                if (ours.cols() != theirs.cols() || ours.rows() != theirs.rows() || ssim < MIN_SSIM
                        || worst > MAX_MEAN_SHIFT) {
                    failures.add(line);
                }
                cells.add(cell(theirs));
                cells.add(cell(ours));
            }
            Mat row = new Mat();
            hconcat(new MatVector(cells.toArray(new Mat[0])), row);
            lines.add(row);
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "portable-similarity.txt"), report);
        System.out.print(report);
        Mat sheet = new Mat();
        vconcat(new MatVector(lines.toArray(new Mat[0])), sheet);
        imwrite(Path.of("target", "portable-contact-sheet.png").toString(), sheet);
        assertTrue(failures.isEmpty(), "java vs native below SSIM " + MIN_SSIM + ", a mean shift above "
                + MAX_MEAN_SHIFT + " or another size:\n" + String.join("\n", failures));
    }

    /** |mean(ours) - mean(theirs)| per channel (B, G, R), alpha composited over white. */
    private static double[] meanShift(Mat ours, Mat theirs) {
        double[] a = means(ours);
        double[] b = means(theirs);
        return new double[] {Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2])};
    }

    private static double[] means(Mat m) {
        double[] sum = new double[3];
        int ch = m.channels();
        try (UByteIndexer idx = m.createIndexer()) {
            for (int y = 0; y < m.rows(); y++) {
                for (int x = 0; x < m.cols(); x++) {
                    double a = ch == 4 ? idx.get(y, x, 3) / 255.0 : 1;
                    for (int c = 0; c < 3; c++) {
                        int v = ch == 1 ? idx.get(y, x, 0) : idx.get(y, x, c);
                        sum[c] += v * a + 255 * (1 - a);
                    }
                }
            }
        }
        double n = (double) m.rows() * m.cols();
        return new double[] {sum[0] / n, sum[1] / n, sum[2] / n};
    }

    /** Fits into a 160x160 cell on grey, as BGR (alpha over white). */
    private static Mat cell(Mat m) {
        Mat bgr = new Mat(m.rows(), m.cols(), opencv_core.CV_8UC3);
        int ch = m.channels();
        try (UByteIndexer in = m.createIndexer(); UByteIndexer out = bgr.createIndexer()) {
            for (int y = 0; y < m.rows(); y++) {
                for (int x = 0; x < m.cols(); x++) {
                    double a = ch == 4 ? in.get(y, x, 3) / 255.0 : 1;
                    for (int c = 0; c < 3; c++) {
                        int v = ch == 1 ? in.get(y, x, 0) : in.get(y, x, c);
                        out.put(y, x, c, (int) Math.round(v * a + 255 * (1 - a)));
                    }
                }
            }
        }
        double s = Math.min(160.0 / bgr.cols(), 160.0 / bgr.rows());
        Mat small = new Mat();
        resize(bgr, small, new Size(Math.max(1, (int) (bgr.cols() * s)), Math.max(1, (int) (bgr.rows() * s))), 0, 0,
                INTER_AREA);
        Mat out = new Mat();
        int top = (160 - small.rows()) / 2;
        int left = (160 - small.cols()) / 2;
        copyMakeBorder(small, out, top + 2, 160 - small.rows() - top + 2, left + 2, 160 - small.cols() - left + 2,
                BORDER_CONSTANT, new Scalar(128, 128, 128, 255));
        return out;
    }
}
