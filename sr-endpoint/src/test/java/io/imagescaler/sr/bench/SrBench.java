package io.imagescaler.sr.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.sr.EsrganModel;
import io.imagescaler.sr.Fp16Graph;
import io.imagescaler.sr.SourceImage;
import io.imagescaler.sr.SrConfig;
import io.imagescaler.sr.SrServer;
import io.imagescaler.sr.SuperResolution;
import io.imagescaler.sr.TiledUpscale;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
 *   <li>{@code speed}: output megapixels per second, side by side in one run: the running server
 *   (HTTP POST /invocations on loopback, PNG in and out) and a bare ONNX Runtime session on the same graph
 *   and thread count, with 1 and 2 threads.</li>
 * </ul>
 * Run with {@code sr-endpoint/bench.sh [quality|speed|all]} from the repository root.
 */
public final class SrBench {

    public static void main(String[] args) throws Exception {
        io.imagescaler.sr.OfflineEngine.ensure();
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
        // as served: the default configuration's budget, measured margins and (for fp16) the converted graph
        SrConfig config = SrConfig.defaults();
        SuperResolution medium = SuperResolution.load(config.withModels(Map.of(2, "esrgan-medium-x2", 4, "esrgan-medium-x4"), 4));
        SuperResolution thick = SuperResolution.load(config.withModels(Map.of(4, "esrgan-thick-x4"), 4));
        Map<String, EsrganModel> fp16 = new LinkedHashMap<>();
        for (var e : models.entrySet())
            fp16.put(e.getKey(), EsrganModel.fromGraph(e.getKey(), e.getValue(), Fp16Graph.emulate(EsrganModel.read(e.getKey(), null)), 0));
        Map<String, double[]> fp16Ssim = new LinkedHashMap<>(); // model -> {sum |Δ|, max |Δ|, n, sum Δ}

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
                BufferedImage mediumOut = medium.upscale(src, scale);
                BufferedImage thickOut = scale == 4 ? thick.upscale(src, scale) : null;
                for (var e : new Object[][]{{"esrgan-medium-x" + scale, mediumOut}, {"esrgan-thick-x4", thickOut}}) {
                    if (e[1] == null) continue;
                    String name = (String) e[0];
                    BufferedImage half = TiledUpscale.forBudget(Long.MAX_VALUE, 0, 0, 0)
                            .upscale(src.chw(), lr.getWidth(), lr.getHeight(), fp16.get(name));
                    double d = ImageQuality.ssim(photo.hr(), half, scale) - ImageQuality.ssim(photo.hr(), (BufferedImage) e[1], scale);
                    double[] acc = fp16Ssim.computeIfAbsent(name, k -> new double[4]);
                    acc[0] += Math.abs(d);
                    acc[1] = Math.max(acc[1], Math.abs(d));
                    acc[2]++;
                    acc[3] += d;
                }
                t.append("| ").append(photo.name()).append(" | ×").append(scale);
                for (var e : new Object[][]{{"bicubic", bicubic}, {"lanczos", lanczos}, {"medium", mediumOut}, {"thick", thickOut}}) {
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
                    contactSheet(out.resolve("sr-contact-sheet-" + degradation + "-x" + scale + ".png"), photo, scale, lr, lanczos, mediumOut, thickOut);
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
        t.append("\nfp16 vs fp32, SSIM against the original, same photos and scales, the network run whole. ONNX Runtime's CPU\n")
                .append("provider has no fp16 convolution on x86 (it runs an fp16 graph by upcasting its weights), so the fp16 side is\n")
                .append("Fp16Graph.emulate: weights, input and every operator's output rounded to float16, each operator's arithmetic\n")
                .append("in float32. That is the rounding an fp16 graph stores; a GPU kernel's own fp16 arithmetic is not modelled.\n\n")
                .append("| model | photos × scales | mean SSIM change | mean abs | max abs | under 0.001 |\n|---|---|---|---|---|---|\n");
        fp16Ssim.forEach((name, a) -> t.append(String.format(Locale.ROOT, "| %s | %d | %+.6f | %.6f | %.6f | %s |%n",
                name, (int) a[2], a[3] / a[2], a[0] / a[2], a[1], a[1] < 0.001 ? "yes" : "NO")));
        medium.close();
        thick.close();
        fp16.values().forEach(EsrganModel::close);
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

    /**
     * Served vs bare, interleaved run by run so that load changes hit both alike; best of {@code runs} after
     * one warm-up each. Bare: an OrtSession with the server's options (ALL_OPT, one inter-op thread, the same
     * intra-op threads) on a tensor made once; served: POST /invocations with the PNG of the same pixels to
     * an SrServer on 127.0.0.1 (its own models, same threads), timed from request to the last response byte.
     */
    static String speed() throws Exception {
        BufferedImage photo = photos(512).get(0).hr();
        ObjectMapper json = new ObjectMapper();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        StringBuilder t = new StringBuilder();
        t.append("### Speed: output megapixels per second, served (HTTP, PNG in and out) vs a bare ONNX Runtime session, same run\n\n");
        t.append("CPU provider, fp32; input: a crop of testdata/images/png-rgba-dice-800x600.png; best of N after one warm-up each,\n")
                .append("served and bare runs interleaved. Served = POST /invocations on 127.0.0.1 until the last byte (decode, network,\n")
                .append("PNG encode, HTTP); bare = OrtSession.run on a prepared tensor. Served plan: from /ping.\n\n");
        t.append("Wall-clock rates depend on what else runs on the cores; the CPU column compares the process CPU seconds\n")
                .append("(all threads, ONNX Runtime's included) of the best bare and best served run, which load disturbs less.\n\n");
        t.append("| model | input | output | threads | served plan | bare s | served s (decode/sr/encode ms) | bare MP/s | served MP/s | served/bare | CPU s bare / served = ratio | load avg |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        // {model, scale, input side, best of, threads...}; the last row is over the default budget: served in tiles
        Object[][] runs = {{"esrgan-medium-x2", 2, 256, 5, new int[]{1, 2}}, {"esrgan-medium-x4", 4, 256, 5, new int[]{1, 2}},
                {"esrgan-thick-x4", 4, 128, 3, new int[]{1, 2}}, {"esrgan-medium-x4", 4, 512, 2, new int[]{2}}};
        for (Object[] run : runs) {
            String name = (String) run[0];
            int scale = (Integer) run[1], size = (Integer) run[2], n = (Integer) run[3];
            BufferedImage input = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            input.getGraphics().drawImage(photo.getSubimage(0, 0, size, size), 0, 0, null);
            byte[] png = encodePng(input);
            SourceImage src = SourceImage.fromImage("png", input);
            double outMp = (double) size * scale * size * scale / 1e6;
            for (int threads : (int[]) run[4]) {
                SrConfig config = SrConfig.defaults().withPort(0).withThreads(threads).withModels(Map.of(scale, name), scale);
                OrtEnvironment env = OrtEnvironment.getEnvironment();
                try (SrServer server = SrServer.start(config).awaitReady(Duration.ofMinutes(3));
                     OrtSession.SessionOptions options = bareOptions(threads);
                     OrtSession bare = env.createSession(EsrganModel.read(name, null), options);
                     OnnxTensor tensor = OnnxTensor.createTensor(env, src.chw().duplicate().clear(), new long[]{1, 3, size, size})) {
                    JsonNode plan = json.readTree(http.send(HttpRequest.newBuilder(server.baseUri().resolve("ping")).build(),
                            HttpResponse.BodyHandlers.ofString()).body()).at("/serving/" + scale);
                    String planText = (long) size * size <= plan.get("wholeUpToPixels").asLong() ? "whole"
                            : "tiles " + plan.get("tile").asInt() + "+" + plan.get("margin").asInt();
                    HttpRequest post = HttpRequest.newBuilder(server.baseUri().resolve("invocations?scale=" + scale))
                            .timeout(Duration.ofMinutes(2)).header("Content-Type", "image/png")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(png)).build();
                    double bestBare = Double.MAX_VALUE, bestServed = Double.MAX_VALUE;
                    double bestBareCpu = Double.MAX_VALUE, bestServedCpu = Double.MAX_VALUE;
                    String timing = "";
                    for (int i = 0; i <= n; i++) { // i == 0: warm-up
                        long c0 = processCpuNanos(), t0 = System.nanoTime();
                        try (OrtSession.Result r = bare.run(Map.of(bare.getInputNames().iterator().next(), tensor))) {
                            if (r.size() != 1) throw new IllegalStateException("bare run gave " + r.size() + " outputs");
                        }
                        double b = (System.nanoTime() - t0) / 1e9, bCpu = (processCpuNanos() - c0) / 1e9;
                        c0 = processCpuNanos();
                        t0 = System.nanoTime();
                        HttpResponse<byte[]> response = http.send(post, HttpResponse.BodyHandlers.ofByteArray());
                        double sv = (System.nanoTime() - t0) / 1e9, svCpu = (processCpuNanos() - c0) / 1e9;
                        if (response.statusCode() != 200) throw new IllegalStateException("served: " + response.statusCode()
                                + " " + new String(response.body()));
                        if (i == 0) continue;
                        bestBare = Math.min(bestBare, b);
                        bestBareCpu = Math.min(bestBareCpu, bCpu);
                        bestServedCpu = Math.min(bestServedCpu, svCpu);
                        if (sv < bestServed) {
                            bestServed = sv;
                            timing = response.headers().firstValue("Server-Timing").orElse("")
                                    .replaceAll("[a-z]+;dur=", "").replace(", ", "/");
                        }
                    }
                    t.append(String.format(Locale.ROOT, "| %s | %d² | %d² | %d | %s | %.3f | %.3f (%s) | %.3f | %.3f | %.2f | %.2f / %.2f = %.2f | %s |%n",
                            name, size, size * scale, threads, planText, bestBare, bestServed, timing, outMp / bestBare,
                            outMp / bestServed, bestBare / bestServed, bestBareCpu, bestServedCpu, bestBareCpu / bestServedCpu,
                            loadAverage()));
                    System.err.print(t.substring(t.lastIndexOf("| " + name)));
                }
            }
        }
        return t.append("\nload average at end ").append(loadAverage()).append("\n\n").toString();
    }

    static OrtSession.SessionOptions bareOptions(int threads) throws Exception {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setInterOpNumThreads(1);
        options.setIntraOpNumThreads(threads);
        return options;
    }

    static byte[] encodePng(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
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
