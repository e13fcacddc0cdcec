package io.imagescaler.handler.transform;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;
import static org.bytedeco.opencv.global.opencv_core.hconcat;
import static org.bytedeco.opencv.global.opencv_core.vconcat;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagescaler.handler.transform.probe.HeaderProbe;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our outputs against libvips' {@code vipsthumbnail} (Debian libvips-tools; .ci/run installs it) for
 * the bench workloads W1 (fit inside 800x800), W2 (400 px wide) and W3 (200x200 cover, centre), on
 * every in-repo fixture and, when present, every image of ../shared/testdata: SSIM of the luma must
 * be at least 0.97. Writes a contact sheet (ours | vips, per row) to target/contact-sheet.png. The
 * pure-Java engine is held to the same reference (target/contact-sheet-java.png).
 */
class ReferenceSimilarityTest {
    private static final double MIN_SSIM = 0.97;
    private static final java.util.Set<Path> MADE = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final List<String[]> WORKLOADS = List.of(
            new String[] {"W1", "w_800,h_800", "800x800>"},
            new String[] {"W2", "w_400", "400x>"},
            new String[] {"W3", "w_200,h_200,fit_cover", "200x200>", "--smartcrop", "centre"});

    @ParameterizedTest
    @ValueSource(strings = {"native", "java"})
    void outputsMatchVipsthumbnail(String kind) throws Exception {
        boolean portable = kind.equals("java");
        assumeTrue(onPath("vipsthumbnail"), "vipsthumbnail is not installed (apt-get install libvips-tools)");
        List<Path> images = new ArrayList<>(TestImages.files(TestImages.repoTestdata().resolve("images")));
        TestImages.sharedTestdata().ifPresent(s -> images.addAll(TestImages.files(s.resolve("images"))));
        Path work = Files.createDirectories(Path.of("target", "vips-reference"));
        TransformEngine engine = portable ? new io.imagescaler.handler.transform.portable.PortablePipeline() : new Pipeline();
        String suffix = portable ? "-java" : "";
        List<String> failures = new ArrayList<>();
        List<Mat> sheetRows = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        for (Path image : images) {
            byte[] src = TestImages.read(image);
            SourceInfo info = engine.probe(src, Limits.DEFAULT);
            for (String[] w : WORKLOADS) {
                // Named after the source's path too: the in-repo and shared folders hold files of one name.
                Path ref = work.resolve(image.getFileName() + "." + Integer.toHexString(image.toAbsolutePath().hashCode())
                        + "." + w[0] + ".png");
                List<String> cmd = new ArrayList<>(List.of("vipsthumbnail", image.toString(), "--size", w[2]));
                cmd.addAll(List.of(w).subList(3, w.length));
                if (HeaderProbe.read(src, Limits.DEFAULT.maxFrames()).iccProfile() != null) {
                    // Tagged images are converted to sRGB, as we do. Untagged ones must not go through
                    // --export-profile: vips 8.14 then shifts their tones (mean -6 levels on a night photo).
                    cmd.addAll(List.of("--export-profile", "srgb"));
                }
                cmd.addAll(List.of("-o", ref.toAbsolutePath() + "[strip]"));
                if (MADE.add(ref)) { // each reference once per test run, for both engines
                    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                    String log = new String(p.getInputStream().readAllBytes());
                    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + log);
                }
                Mat theirs = TestImages.decode(Files.readAllBytes(ref));
                Rendered out = engine.render(src, info, TransformSpec.parse(w[1]), ImageFormat.PNG, Limits.DEFAULT);
                Files.write(work.resolve(image.getFileName() + "." + w[0] + ".ours" + suffix + ".png"), out.bytes());
                Mat ours = TestImages.decode(out.bytes());
                double ssim = Ssim.of(ours, theirs);
                String line = String.format(java.util.Locale.ROOT, "%-45s %s ours=%dx%d vips=%dx%d ssim=%.4f",
                        image.getFileName(), w[0], ours.cols(), ours.rows(), theirs.cols(), theirs.rows(), ssim);
                report.append(line).append('\n');
                boolean sameSize = Math.abs(ours.cols() - theirs.cols()) <= 1 && Math.abs(ours.rows() - theirs.rows()) <= 1;
                if (!sameSize && smallerThanTarget(info, w[0])) {
                    // Both refuse to enlarge, but vips still crops a small image to the box's aspect for
                    // W3 while we return it whole: a policy difference, not a quality one.
                    report.append("  (sizes differ by policy for an image smaller than the target; not compared)\n");
                    continue;
                }
                if (ssim < MIN_SSIM || !sameSize) {
                    failures.add(line);
                }
                sheetRows.add(pair(ours, theirs));
            }
        }
        Files.writeString(Path.of("target", "vips-reference", "ssim" + suffix + ".txt"), report);
        System.out.print(report);
        writeSheet(sheetRows, "contact-sheet" + suffix + ".png");
        assertTrue(failures.isEmpty(), kind + " engine below SSIM " + MIN_SSIM + " or off by more than 1 px:\n" + String.join("\n", failures));
    }

    private static boolean smallerThanTarget(SourceInfo info, String workload) {
        int side = workload.equals("W3") ? 200 : 400;
        return info.displayWidth() < side || info.displayHeight() < side;
    }

    private static Mat pair(Mat ours, Mat theirs) {
        Mat a = cell(ours);
        Mat b = cell(theirs);
        Mat row = new Mat();
        hconcat(new MatVector(a, b), row);
        return row;
    }

    /** Fits into a 160x160 cell on grey, as BGR. */
    private static Mat cell(Mat m) {
        Mat bgr = m;
        if (m.depth() == opencv_core.CV_16U) {
            bgr = new Mat();
            m.convertTo(bgr, opencv_core.CV_8U, 1.0 / 257, 0);
        }
        if (bgr.channels() == 4) {
            Mat t = new Mat();
            cvtColor(bgr, t, COLOR_BGRA2BGR);
            bgr = t;
        }
        double s = Math.min(160.0 / bgr.cols(), 160.0 / bgr.rows());
        Mat small = new Mat();
        resize(bgr, small, new Size(Math.max(1, (int) (bgr.cols() * s)), Math.max(1, (int) (bgr.rows() * s))), 0, 0, INTER_AREA);
        Mat out = new Mat();
        int top = (160 - small.rows()) / 2;
        int left = (160 - small.cols()) / 2;
        copyMakeBorder(small, out, top + 2, 160 - small.rows() - top + 2, left + 2, 160 - small.cols() - left + 2,
                BORDER_CONSTANT, new Scalar(128, 128, 128, 255));
        return out;
    }

    private static void writeSheet(List<Mat> rows, String name) {
        // Three workloads per image: lay each image's rows side by side (ours|vips for W1, W2, W3).
        List<Mat> lines = new ArrayList<>();
        for (int i = 0; i + 2 < rows.size(); i += 3) {
            Mat line = new Mat();
            hconcat(new MatVector(rows.get(i), rows.get(i + 1), rows.get(i + 2)), line);
            lines.add(line);
        }
        Mat sheet = new Mat();
        vconcat(new MatVector(lines.toArray(new Mat[0])), sheet);
        imwrite(Path.of("target", name).toString(), sheet);
    }

    private static boolean onPath(String tool) {
        try {
            Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
