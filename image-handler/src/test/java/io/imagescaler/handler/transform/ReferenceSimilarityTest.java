package io.imagescaler.handler.transform;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The engine against sharp 0.35.5 (npm, pinned in bench/sharp/package-lock.json): every image in
 * testdata/ and ../shared/testdata/images rendered fit-inside 800x800 as PNG by both, within SSIM 0.97
 * and 4 levels of mean colour per channel (alpha composited over white). A contact sheet (sharp | ours
 * per image) lands in target/sharp-reference/contact-sheet.png for a person to look at. Skips, and says
 * so, where node or npm is missing.
 */
class ReferenceSimilarityTest {
    private static final double MIN_SSIM = 0.97;
    private static final double MAX_MEAN_SHIFT = 4;

    @Test
    void outputsMatchSharp() throws Exception {
        Path tooling = TestImages.repoTestdata().getParent().resolve("bench").resolve("sharp");
        assumeTrue(onPath("node") && onPath("npm"), "node/npm are not installed: the sharp reference cannot run");
        if (!Files.isDirectory(tooling.resolve("node_modules").resolve("sharp"))) {
            assertTrue(run(tooling, List.of("npm", "ci", "--no-audit", "--no-fund")).isEmpty(), "npm ci in " + tooling);
        }
        List<Path> images = new ArrayList<>(TestImages.files(TestImages.repoTestdata().resolve("images")));
        TestImages.sharedTestdata().ifPresent(s -> images.addAll(TestImages.files(s.resolve("images"))));
        Path work = Files.createDirectories(Path.of("target", "sharp-reference").toAbsolutePath());
        List<String> command = new ArrayList<>(List.of("node", "reference.js", work.toString()));
        for (Path image : images) {
            command.add(name(image) + "=" + image.toAbsolutePath());
        }
        String failed = run(tooling, command);
        assertTrue(failed.isEmpty(), failed);

        Pipeline engine = new Pipeline();
        List<String> failures = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        ContactSheet sheet = new ContactSheet();
        for (Path image : images) {
            byte[] src = TestImages.read(image);
            Rendered out = engine.render(src, engine.probe(src, Limits.DEFAULT), TransformSpec.parse("w_800,h_800"),
                    ImageFormat.PNG, Limits.DEFAULT);
            Files.write(work.resolve(name(image) + ".ours.png"), out.bytes());
            Img ours = TestImages.decode(out.bytes());
            Img theirs = TestImages.decode(Files.readAllBytes(work.resolve(name(image) + ".png")));
            double ssim = Ssim.of(ours, theirs);
            double[] a = ours.meanRgb();
            double[] b = theirs.meanRgb();
            double shift = Math.max(Math.abs(a[0] - b[0]), Math.max(Math.abs(a[1] - b[1]), Math.abs(a[2] - b[2])));
            String line = String.format(Locale.ROOT, "%-45s ours=%dx%d sharp=%dx%d ssim=%.4f mean-shift=%.2f",
                    image.getFileName(), ours.cols(), ours.rows(), theirs.cols(), theirs.rows(), ssim, shift);
            report.append(line).append('\n');
            boolean sameSize = Math.abs(ours.cols() - theirs.cols()) <= 1 && Math.abs(ours.rows() - theirs.rows()) <= 1;
            if (ssim < MIN_SSIM || shift > MAX_MEAN_SHIFT || !sameSize) {
                failures.add(line);
            }
            sheet.row(List.of(theirs, ours));
        }
        Files.writeString(work.resolve("ssim.txt"), report);
        System.out.print(report);
        sheet.write(work.resolve("contact-sheet.png"));
        assertTrue(failures.isEmpty(), "below SSIM " + MIN_SSIM + ", a mean shift above " + MAX_MEAN_SHIFT
                + " or another size than sharp's:\n" + String.join("\n", failures));
    }

    /** The file name and a hash of its path: the in-repo and shared folders hold files of one name. */
    private static String name(Path image) {
        return image.getFileName() + "." + Integer.toHexString(image.toAbsolutePath().hashCode());
    }

    /** Runs a command in {@code dir}; "" when it succeeded, else what it printed. */
    private static String run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        boolean done = p.waitFor(300, TimeUnit.SECONDS);
        return done && p.exitValue() == 0 ? "" : String.join(" ", command.subList(0, 2)) + ": " + log;
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
