package io.imagescaler.sr.bench;

import io.imagescaler.sr.EsrganModel;
import io.imagescaler.sr.SourceImage;
import io.imagescaler.sr.TiledUpscale;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures the served models (not a test: figures depend on the machine). Two parts:
 * <ul>
 *   <li>{@code quality}: real photos are reduced ×2 / ×4 (area averaging), enlarged back by the network and
 *   by OpenCV Lanczos-4 and bicubic, and compared with the original (PSNR, SSIM on luma); also writes a
 *   side-by-side contact sheet per scale under {@code target/}.</li>
 *   <li>{@code speed}: output megapixels per second through the server's tiled path, with 1 and 2 ONNX
 *   Runtime threads.</li>
 * </ul>
 * Run with {@code sr-endpoint/bench.sh [quality|speed|all]} from the repository root.
 */
public final class SrBench {

    private static final int TILE = 128, MARGIN = 16, BLEND = 4;

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        String mode = args.length > 0 ? args[0] : "all";
        Path out = Path.of("sr-endpoint/target").toFile().isDirectory() ? Path.of("sr-endpoint/target") : Path.of("target");
        StringBuilder report = new StringBuilder();
        report.append("CPU: ").append(cpuName()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores visible; load average at start ").append(loadAverage()).append("\n\n");
        if (mode.equals("quality") || mode.equals("all"))
            report.append(quality(out, args.length > 1 ? Integer.parseInt(args[1]) : 480, args.length > 2 ? args[2] : "bicubic"));
        if (mode.equals("speed") || mode.equals("all")) report.append(speed());
        System.out.println(report);
        Files.writeString(out.resolve("sr-bench-" + String.join("-", args.length > 0 ? args : new String[]{mode}) + ".md"), report.toString());
    }

    // ---------------------------------------------------------------- quality

    record Photo(String name, BufferedImage hr) {
    }

    static List<Photo> photos(int size) throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(find("testdata/images/png-rgba-dice-800x600.png"));
        Path shared = find("../shared/testdata/images");
        if (shared != null) for (String f : new String[]{"jpeg-12mp-nikond90.jpg", "jpeg-12mp-galaxys7.jpg",
                "jpeg-22mp-canon5d3-srgb-icc.jpg", "jpeg-5mp-progressive-cerkiew.jpg", "jpeg-10mp-canon1000d-orient6.jpg",
                "png-rgba-panorama-2048x512.png"}) {
            Path p = shared.resolve(f);
            if (Files.exists(p)) files.add(p);
        }
        List<Photo> photos = new ArrayList<>();
        for (Path f : files) {
            if (f == null) continue;
            BufferedImage img = ImageIO.read(f.toFile());
            int s = Math.min(size, Math.min(img.getWidth(), img.getHeight())) / 4 * 4;
            int x = (img.getWidth() - s) / 2, y = (img.getHeight() - s) / 2;
            BufferedImage crop = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = crop.createGraphics();
            g.setColor(Color.WHITE); // transparent areas (the dice) are flattened onto white
            g.fillRect(0, 0, s, s);
            g.drawImage(img.getSubimage(x, y, s, s), 0, 0, null);
            g.dispose();
            photos.add(new Photo(f.getFileName().toString(), crop));
        }
        return photos;
    }

    static Path find(String relative) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent())
            if (Files.exists(p.resolve(relative))) return p.resolve(relative).normalize();
        return null;
    }

    /**
     * @param degradation how the low-resolution input is made: {@code bicubic} (MATLAB-style anti-aliased
     *                    bicubic, the models' training degradation) or {@code area} (OpenCV INTER_AREA)
     */
    static String quality(Path out, int size, String degradation) throws Exception {
        List<Photo> photos = photos(size);
        Map<String, Integer> models = new LinkedHashMap<>();
        models.put("esrgan-medium-x2", 2);
        models.put("esrgan-medium-x4", 4);
        models.put("esrgan-thick-x4", 4);
        Map<String, EsrganModel> loaded = new LinkedHashMap<>();
        for (var e : models.entrySet()) loaded.put(e.getKey(), EsrganModel.load(e.getKey(), e.getValue(), null, false, 0));
        TiledUpscale tiling = new TiledUpscale(TILE, MARGIN, BLEND);

        StringBuilder t = new StringBuilder();
        t.append("### Quality: ").append(size).append("×").append(size).append(" centre crops, reduced by ")
                .append(degradation.equals("area") ? "area averaging (OpenCV INTER_AREA)" : "anti-aliased bicubic (MATLAB imresize)")
                .append(", enlarged back\n\n");
        t.append("PSNR (dB) / SSIM on luma, border of `scale` pixels left out.\n\n");
        t.append("| photo | scale | bicubic | Lanczos-4 | esrgan-medium | esrgan-thick |\n|---|---|---|---|---|---|\n");
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (Photo photo : photos) {
            for (int scale : new int[]{2, 4}) {
                BufferedImage lr = degradation.equals("area") ? Resamplers.shrink(photo.hr(), scale)
                        : Resamplers.shrinkBicubicAntialiased(photo.hr(), scale);
                BufferedImage bicubic = Resamplers.bicubic(lr, scale);
                BufferedImage lanczos = Resamplers.lanczos(lr, scale);
                SourceImage src = SourceImage.fromImage("png", lr);
                BufferedImage medium = tiling.upscale(src.chw(), lr.getWidth(), lr.getHeight(), loaded.get("esrgan-medium-x" + scale));
                BufferedImage thick = scale == 4 ? tiling.upscale(src.chw(), lr.getWidth(), lr.getHeight(), loaded.get("esrgan-thick-x4")) : null;
                t.append("| ").append(photo.name()).append(" | ×").append(scale);
                for (var e : new Object[][]{{"bicubic", bicubic}, {"lanczos", lanczos}, {"medium", medium}, {"thick", thick}}) {
                    BufferedImage img = (BufferedImage) e[1];
                    if (img == null) {
                        t.append(" | —");
                        continue;
                    }
                    double psnr = ImageQuality.psnr(photo.hr(), img, scale), ssim = ImageQuality.ssim(photo.hr(), img, scale);
                    double[] s = sums.computeIfAbsent(e[0] + "-x" + scale, k -> new double[3]);
                    s[0] += psnr;
                    s[1] += ssim;
                    s[2]++;
                    t.append(String.format(Locale.ROOT, " | %.2f / %.4f", psnr, ssim));
                }
                t.append(" |\n");
                if (photo == sheetPhoto(photos))
                    contactSheet(out.resolve("sr-contact-sheet-" + degradation + "-x" + scale + ".png"), photo, scale, lr, lanczos, medium, thick);
            }
        }
        for (int scale : new int[]{2, 4}) {
            t.append("| **mean of ").append(photos.size()).append("** | ×").append(scale);
            for (String k : new String[]{"bicubic", "lanczos", "medium", "thick"}) {
                double[] s = sums.get(k + "-x" + scale);
                t.append(s == null ? " | —" : String.format(Locale.ROOT, " | **%.2f / %.4f**", s[0] / s[2], s[1] / s[2]));
            }
            t.append(" |\n");
        }
        loaded.values().forEach(EsrganModel::close);
        return t.append('\n').toString();
    }

    /** The church photo when ../shared is there (fine texture), else the in-repo dice. */
    static Photo sheetPhoto(List<Photo> photos) {
        return photos.stream().filter(p -> p.name().contains("cerkiew")).findFirst().orElse(photos.get(0));
    }

    /** LR (pixel-replicated) | Lanczos | medium | thick | original, a 96 px crop each shown at 3×. */
    static void contactSheet(Path file, Photo photo, int scale, BufferedImage lr, BufferedImage lanczos,
                             BufferedImage medium, BufferedImage thick) throws IOException {
        int crop = 96, zoom = 3, cell = crop * zoom, label = 22;
        // the most textured window (highest mean luma gradient): flat areas show no difference between methods
        int cx = 0, cy = 0;
        double best = -1;
        for (int y = 0; y + crop <= photo.hr().getHeight(); y += 24)
            for (int x = 0; x + crop <= photo.hr().getWidth(); x += 24) {
                double[] l = ImageQuality.luma(photo.hr().getSubimage(x, y, crop, crop), 0);
                double energy = 0;
                for (int j = 0; j + 1 < crop; j++)
                    for (int i = 0; i + 1 < crop; i++)
                        energy += Math.abs(l[j * crop + i + 1] - l[j * crop + i]) + Math.abs(l[(j + 1) * crop + i] - l[j * crop + i]);
                if (energy > best) {
                    best = energy;
                    cx = x;
                    cy = y;
                }
            }
        List<Object[]> cells = new ArrayList<>();
        cells.add(new Object[]{"input x" + scale + " (nearest)", Resamplers.nearest(lr, scale)});
        cells.add(new Object[]{"Lanczos-4", lanczos});
        cells.add(new Object[]{"esrgan-medium-x" + scale, medium});
        if (thick != null) cells.add(new Object[]{"esrgan-thick-x4", thick});
        cells.add(new Object[]{"original", photo.hr()});
        BufferedImage sheet = new BufferedImage(cells.size() * (cell + 4), cell + label, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        for (int i = 0; i < cells.size(); i++) {
            BufferedImage img = (BufferedImage) cells.get(i)[1];
            g.drawImage(img.getSubimage(cx, cy, crop, crop), i * (cell + 4), label, cell, cell, null);
            try {
                g.setColor(Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
                g.drawString((String) cells.get(i)[0], i * (cell + 4) + 4, 16);
            } catch (RuntimeException | Error noFonts) {
                // headless machines without fonts: the order is given in the README instead
            }
        }
        g.dispose();
        ImageIO.write(sheet, "png", file.toFile());
        System.err.println("contact sheet: " + file.toAbsolutePath() + " (" + photo.name() + ")");
    }

    // ---------------------------------------------------------------- speed

    static String speed() throws Exception {
        BufferedImage photo = photos(512).get(0).hr();
        StringBuilder t = new StringBuilder();
        t.append("### Speed: output megapixels per second, tiled path (tile ").append(TILE).append(", margin ")
                .append(MARGIN).append(", blend ").append(BLEND).append("), CPU, fp32\n\n");
        t.append("Wall-clock rates depend on what else runs on the shared cores; the last column divides by the process's\n")
                .append("CPU time instead (all threads, native ones included), i.e. the rate per fully used core.\n\n");
        t.append("| model | input | output | threads | median s per image | output MP/s | output MP per CPU-second |\n|---|---|---|---|---|---|---|\n");
        Object[][] runs = {{"esrgan-medium-x2", 2, 256}, {"esrgan-medium-x4", 4, 256}, {"esrgan-thick-x4", 4, 128}};
        for (Object[] run : runs) {
            String name = (String) run[0];
            int scale = (Integer) run[1], size = (Integer) run[2];
            BufferedImage input = photo.getSubimage(0, 0, size, size);
            SourceImage src = SourceImage.fromImage("png", input);
            for (int threads : new int[]{1, 2}) {
                try (EsrganModel model = EsrganModel.load(name, scale, null, false, threads)) {
                    TiledUpscale tiling = new TiledUpscale(TILE, MARGIN, BLEND);
                    tiling.upscale(src.chw(), size, size, model); // warm-up: ONNX Runtime plans on first run
                    List<Double> seconds = new ArrayList<>();
                    long start = System.nanoTime(), cpuStart = processCpuNanos();
                    while (seconds.size() < 3 || (seconds.size() < 10 && System.nanoTime() - start < 15e9)) {
                        long t0 = System.nanoTime();
                        tiling.upscale(src.chw(), size, size, model);
                        seconds.add((System.nanoTime() - t0) / 1e9);
                    }
                    double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
                    double[] sorted = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                    double median = sorted[sorted.length / 2];
                    double outMp = (double) size * scale * size * scale / 1e6;
                    t.append(String.format(Locale.ROOT, "| %s | %d² | %d² | %d | %.3f (n=%d) | %.3f | %.3f |%n",
                            name, size, size * scale, threads, median, sorted.length, outMp / median,
                            outMp * sorted.length / cpuSeconds));
                    System.err.println(t.substring(t.lastIndexOf("| " + name)));
                }
            }
        }
        return t.append("\nload average at end ").append(loadAverage()).append("\n\n").toString();
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static String cpuName() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    static String loadAverage() {
        try {
            return Arrays.toString(Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
        } catch (IOException e) {
            return "?";
        }
    }
}
