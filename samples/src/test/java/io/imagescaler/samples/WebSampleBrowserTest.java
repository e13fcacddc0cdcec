package io.imagescaler.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagescaler.edge.LocalEdge;
import io.imagescaler.samples.web.WebSample;
import io.imagescaler.signer.DevKeyPair;
import io.imagescaler.signer.UrlSigner;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web sample end to end in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, no
 * browser download): sign in, upload three small images in one request each and a generated ~11 MB one
 * through the multipart flow (parts PUT by the browser straight to the local S3, cross-origin), wait until
 * each is READY, and check that every gallery image loaded from its signed URL and that the browser picked
 * the srcset candidate the viewport and device pixel ratio call for. Screenshots go to {@code samples/target/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSampleBrowserTest {
    private static final List<String> UPLOADS = List.of("png-rgba-dice-800x600.png", "webp-lossy-alpha-300.webp",
            "jpeg-tiny-40x60-orient3.jpg");
    /** Above the page's multipart threshold (5 MiB) and above one part (8 MiB): two parts. */
    private static final String BIG = "generated-noise-2400x1800.png";

    @TempDir
    static Path data;
    @TempDir
    static Path files;
    LocalEdge edge;
    WebSample web;
    String format;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(HeadlessChromium.installed(),
                "headless Chromium is not installed (apt-get install -y chromium chromium-driver); skipping the"
                        + " browser test of the web sample");
        edge = LocalEdge.start(0, data, Map.of());
        format = autoFormatServed() ? "auto" : "webp";
        web = WebSample.start(0, URI.create(edge.baseUrl()), data, format);
        for (String name : UPLOADS) {
            Files.write(files.resolve(name), EdgeFixture.image(name));
        }
        byte[] big = noisyGradientPng(2400, 1800);
        assertTrue(big.length > 8 * 1024 * 1024, "two parts of 8 MiB: " + big.length);
        Files.write(files.resolve(BIG), big);
    }

    /**
     * A colour gradient under strong per-pixel noise: the noise keeps PNG from compressing it below the
     * multipart sizes, the gradient keeps it recognisable in the screenshot.
     */
    static byte[] noisyGradientPng(int width, int height) throws java.io.IOException {
        var image = new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var random = new java.util.Random(42);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = 255 * x / width, g = 255 * y / height, b = 255 - (r + g) / 2;
                image.setRGB(x, y, (noisy(r, random) << 16) | (noisy(g, random) << 8) | noisy(b, random));
            }
        }
        var out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static int noisy(int value, java.util.Random random) {
        return Math.clamp(value + random.nextInt(129) - 64, 0, 255);
    }

    /** {@code .auto} needs the edge's Accept rewrite (the edge-security work); before it lands, WebP. */
    private boolean autoFormatServed() throws Exception {
        String id = EdgeFixture.upload(edge, EdgeFixture.image("png-tiny-16x16.png"));
        UrlSigner signer = UrlSigner.with(DevKeyPair.loadOrCreate(data.resolve("cloudfront-keys"),
                DevKeyPair.DEFAULT_KEY_PAIR_ID).signingKey());
        String url = signer.signCanned(edge.baseUrl() + "/v1/images/" + id + "/w_8.auto",
                Instant.now().plusSeconds(600));
        int status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "image/webp,image/*").build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 200) {
            System.out.println("NOTE: this edge answers " + status + " to .auto; the gallery uses .webp instead");
        }
        return status == 200;
    }

    @AfterAll
    void stop() {
        if (web != null) web.close();
        if (edge != null) edge.close();
    }

    @ParameterizedTest(name = "{0}x{1} CSS px at DPR {2} -> {3}w")
    @CsvSource({
            // sizes = 100vw below 800 px: 400 CSS px x 2 = 800 device px -> the 960w candidate
            "400, 800, 2, 960",
            // two columns from 800 px: 50vw of 1200 = 600 CSS px x 1 -> the 640w candidate
            "1200, 900, 1, 640",
    })
    void uploadsWaitsAndShowsTheRightCandidate(int width, int height, double dpr, int expectedWidth) throws Exception {
        ChromeDriver browser = HeadlessChromium.mobile(width, height, dpr);
        try {
            JavascriptExecutor js = browser;
            browser.get(web.pageUrl());
            assertEquals(width, ((Number) js.executeScript("return window.innerWidth")).intValue());
            assertEquals(dpr, ((Number) js.executeScript("return window.devicePixelRatio")).doubleValue(), 1e-9);

            browser.findElement(By.id("use-dev-token")).click();
            new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.findElement(By.id("who")).getText()
                    .startsWith("signed in as "));
            List<String> all = new java.util.ArrayList<>(UPLOADS);
            all.add(BIG);
            browser.findElement(By.id("files")).sendKeys(String.join("\n",
                    all.stream().map(n -> files.resolve(n).toString()).toList()));
            browser.findElement(By.id("upload-button")).click();

            new WebDriverWait(browser, Duration.ofSeconds(180)).until(d -> Integer.toString(all.size()).equals(
                    js.executeScript("return document.body.dataset.uploadsDone")));
            List<?> statuses = (List<?>) js.executeScript("return Array.from(document.querySelectorAll("
                    + "'#uploads li')).map(li => li.className + ' ' + li.textContent)");
            statuses.forEach(s -> assertTrue(s.toString().startsWith("READY"), "upload row: " + s));
            // each row shows the upload's moderation verdict and the model that made it
            List<?> verdicts = (List<?>) js.executeScript("return Array.from(document.querySelectorAll("
                    + "'#uploads li .moderation')).map(m => m.textContent)");
            assertEquals(all.size(), verdicts.size());
            verdicts.forEach(v -> assertTrue(v.toString().startsWith("moderation: ALLOW") && v.toString().contains("("),
                    "moderation shown: " + v));

            // The big file went through the multipart flow: two parts, every byte counted by the progress
            // events of the part PUTs, the bar full, and the image READY like the others.
            @SuppressWarnings("unchecked")
            Map<String, Object> row = (Map<String, Object>) js.executeScript(
                    "const li = Array.from(document.querySelectorAll('#uploads li'))"
                            + ".find(l => l.textContent.startsWith(arguments[0]));"
                            + "return {path: li.dataset.path, parts: li.dataset.parts, sent: li.dataset.sent,"
                            + " total: li.dataset.total, updates: li.dataset.progressUpdates,"
                            + " value: li.querySelector('progress').value, max: li.querySelector('progress').max,"
                            + " status: li.querySelector('.status').textContent, id: li.dataset.id};", BIG);
            long bigSize = Files.size(files.resolve(BIG));
            assertEquals("multipart", row.get("path"), row.toString());
            assertEquals("2", row.get("parts"), row.toString());
            assertEquals(Long.toString(bigSize), row.get("sent"), "bytes sent over all parts: " + row);
            assertEquals(Long.toString(bigSize), row.get("total"), row.toString());
            // The page counts bytes only from XHR upload progress events (at least one per part, the last
            // with every byte of it), so sent == size means the events covered every part.
            assertTrue(Integer.parseInt(row.get("updates").toString()) >= 2, "progress updates: " + row);
            assertEquals(1.0, ((Number) row.get("value")).doubleValue(), 0.0, "the bar reached 100%: " + row);
            assertEquals(1.0, ((Number) row.get("max")).doubleValue(), 0.0);
            assertEquals("READY", row.get("status"), row.toString());
            System.out.println("multipart upload in the browser: " + row);

            // Every image finished loading (complete) and has pixels: its signed URL was accepted.
            new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> (Boolean) js.executeScript(
                    "const imgs = document.querySelectorAll('#gallery img');"
                            + "return imgs.length === arguments[0] && Array.from(imgs).every(i => i.complete);",
                    all.size()));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> images = (List<Map<String, Object>>) js.executeScript(
                    "return Array.from(document.querySelectorAll('#gallery img')).map(i => ({"
                            + "naturalWidth: i.naturalWidth, currentSrc: i.currentSrc, srcset: i.srcset,"
                            + " id: i.dataset.id}))");
            assertTrue(images.stream().anyMatch(i -> i.get("id").equals(row.get("id"))),
                    "the multipart upload is in the gallery: " + images);
            for (Map<String, Object> img : images) {
                String src = img.get("currentSrc").toString();
                assertTrue(((Number) img.get("naturalWidth")).intValue() > 0, "loaded: " + src);
                assertTrue(src.startsWith(edge.baseUrl() + "/v1/images/"), "straight from the edge: " + src);
                assertTrue(src.contains("/w_" + expectedWidth + "." + format + "?"),
                        "the " + expectedWidth + "w candidate for " + width + " CSS px at DPR " + dpr + ": " + src);
                assertTrue(src.contains("Policy=") && src.contains("Signature=") && src.contains("Key-Pair-Id="),
                        "one wildcard custom policy: " + src);
            }
            Path shot = Path.of("target", "web-sample-" + width + "x" + height + "-dpr" + (int) dpr + ".png");
            Files.createDirectories(shot.getParent());
            // The whole page, gallery included (beyond the emulated viewport), through the DevTools protocol.
            long pageHeight = ((Number) js.executeScript("return document.documentElement.scrollHeight")).longValue();
            Map<String, Object> capture = browser.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                    "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", width,
                            "height", pageHeight, "scale", 1)));
            Files.write(shot, java.util.Base64.getDecoder().decode(capture.get("data").toString()));
            System.out.println("screenshot: " + shot.toAbsolutePath());
        } finally {
            browser.quit();
        }
    }
}
