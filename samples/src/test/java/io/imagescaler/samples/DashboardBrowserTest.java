package io.imagescaler.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.edge.LocalEdge;
import io.imagescaler.edge.access.DevIssuer;
import io.imagescaler.samples.web.WebSample;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The usage dashboard in headless Chromium over a seeded run: three owners upload mixed formats (one image
 * flagged), render variants (one by super-resolution) and delete one image; the admin signs in with the
 * local dev issuer, and the charts, tiles and CSV download must show what the run did, the same numbers
 * {@code GET /v1/stats} gives. A screenshot goes to {@code samples/target/dashboard.png}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;
    LocalEdge edge;
    WebSample web;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void seed() throws Exception {
        assumeTrue(HeadlessChromium.installed(),
                "headless Chromium is not installed (apt-get install -y chromium chromium-driver); skipping the"
                        + " browser test of the dashboard");
        byte[] dice = EdgeFixture.image("png-rgba-dice-800x600.png");
        Path rules = data.resolve("rules.json");
        Files.writeString(rules, "{\"images\":{\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(dice)) + "\":[{\"name\":\"Violence\",\"parentName\":\"\",\"confidence\":90}]}}");
        edge = LocalEdge.start(0, data, Map.of("MODERATION_RULES", rules.toString(), "REQUIRE_SIGNED_URLS", "false"));
        web = WebSample.start(0, URI.create(edge.baseUrl()), data, "webp");

        String alicePng = upload("alice", EdgeFixture.image("png-tiny-16x16.png"));
        String aliceJpg = upload("alice", EdgeFixture.image("jpeg-tiny-40x60-orient3.jpg"));
        render("alice", alicePng, "w_8.png");
        render("alice", alicePng, "w_8.webp");
        render("alice", aliceJpg, "w_20.jpg");
        String bobWebp = upload("bob", EdgeFixture.image("webp-lossy-alpha-300.webp"));
        upload("bob", dice);                                   // flagged: BLURRED
        render("bob", bobWebp, "h_50.png");
        assertEquals(204, http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images/" + bobWebp))
                .DELETE().header("Authorization", bearer("bob")).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode());
        String carol = upload("carol", smallPng(dice));
        // the SR models load in the background; until then the answer is the (unrecorded) Lanczos fallback
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        String method;
        do {
            method = render("carol", carol, "w_320,up_sr.png");
        } while (!method.startsWith("sr-") && Instant.now().isBefore(deadline) && pause());
        assertTrue(method.startsWith("sr-"), "SR answered: " + method);
    }

    @AfterAll
    void stop() {
        if (web != null) web.close();
        if (edge != null) edge.close();
    }

    @Test
    void chartsTilesAndCsvShowWhatTheSeededRunDid() throws Exception {
        JsonNode api = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/stats"))
                .header("Authorization", bearer(DevIssuer.ADMIN)).build(), HttpResponse.BodyHandlers.ofString()).body());
        JsonNode totals = api.get("totals");
        assertEquals(5, totals.get("uploads").asLong(), api.toString());
        assertEquals(5, totals.get("variants").asLong());
        assertEquals(1, totals.get("flagged").asLong());
        assertEquals(1, totals.get("srCalls").asLong());
        assertEquals(1, totals.get("deletes").asLong());

        ChromeDriver browser = HeadlessChromium.window(1400, 1000);
        try {
            JavascriptExecutor js = browser;
            browser.get(web.pageUrl() + "dashboard.html");
            browser.findElement(By.id("sign-in-admin")).click();
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(d ->
                    List.of("ready", "error").contains(String.valueOf(js.executeScript("return document.body.dataset.state"))));
            assertEquals("", browser.findElement(By.id("error")).getText());
            assertEquals("ready", js.executeScript("return document.body.dataset.state"));

            assertEquals("5", text(browser, "total-uploads"));
            assertEquals("5", text(browser, "total-variants"));
            assertEquals("20.0 %", text(browser, "flagged-share"));
            assertEquals(String.format(Locale.ROOT, "%.2f", totals.get("srMs").asLong() / 60000.0), text(browser, "sr-minutes"));
            assertEquals("1", text(browser, "total-deletes"));

            // per day: 30 days, every upload and variant of the run on today's bar
            assertEquals(30L, js.executeScript("return Chart.getChart('per-day').data.labels.length"));
            assertEquals(5L, sum(js, "per-day", 0));
            assertEquals(5L, sum(js, "per-day", 1));
            assertEquals(api.get("rows").get(29).get("day").asText(),
                    js.executeScript("return Chart.getChart('per-day').data.labels[29]"));
            // top customers, most uploads first (alice and bob 2 each, alice with more variants)
            assertEquals(List.of("alice", "bob", "carol"), js.executeScript("return Chart.getChart('customers').data.labels"));
            assertEquals(List.of(2L, 2L, 1L), js.executeScript("return Chart.getChart('customers').data.datasets[0].data"));
            assertEquals(List.of(3L, 1L, 1L), js.executeScript("return Chart.getChart('customers').data.datasets[1].data"));
            // formats: uploads by the original's format, variants by the output's
            assertEquals(List.of("jpg", "png", "webp"), js.executeScript("return Chart.getChart('formats').data.labels"));
            assertEquals(List.of(1L, 3L, 1L), js.executeScript("return Chart.getChart('formats').data.datasets[0].data"));
            assertEquals(List.of(1L, 3L, 1L), js.executeScript("return Chart.getChart('formats').data.datasets[1].data"));
            // drawn: each canvas has painted pixels (bars, axes, labels), not just a blank element
            for (String chart : List.of("per-day", "customers", "formats")) {
                long painted = ((Number) js.executeScript("const c = document.getElementById(arguments[0]);"
                        + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                        + "let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n;", chart)).longValue();
                assertTrue(painted > 2000, chart + " painted pixels: " + painted);
            }

            // CSV download: the page fetches it with the admin's token and offers it as a file
            browser.findElement(By.id("csv")).click();
            new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> String.valueOf(
                    js.executeScript("return document.getElementById('csv-link').href")).startsWith("blob:"));
            String csv = (String) ((JavascriptExecutor) browser).executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                            + "fetch(document.getElementById('csv-link').href).then(r => r.text()).then(done);");
            // (WebDriver hands strings back with \n line ends; the API sends CRLF, as ApiContractTest checks)
            String[] lines = csv.split("\r?\n");
            assertEquals("day,uploads,bytes,flagged,variants,sr_calls,sr_ms,deletes", lines[0]);
            assertEquals(31, lines.length, "header and 30 days");
            long uploads = 0;
            for (int i = 1; i < lines.length; i++) uploads += Long.parseLong(lines[i].split(",")[1]);
            assertEquals(5, uploads);
            assertTrue(String.valueOf(js.executeScript("return document.getElementById('csv-link').download"))
                    .endsWith(".csv"));

            Path shot = Path.of("target", "dashboard.png");
            Files.createDirectories(shot.getParent());
            long pageHeight = ((Number) js.executeScript("return document.documentElement.scrollHeight")).longValue();
            Map<String, Object> capture = browser.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                    "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", 1400,
                            "height", pageHeight, "scale", 1)));
            Files.write(shot, java.util.Base64.getDecoder().decode(capture.get("data").toString()));
            System.out.println("screenshot: " + shot.toAbsolutePath());
        } finally {
            browser.quit();
        }
    }

    private static String text(ChromeDriver browser, String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private static long sum(JavascriptExecutor js, String chart, int dataset) {
        return ((Number) js.executeScript("return Chart.getChart(arguments[0]).data.datasets[arguments[1]].data"
                + ".reduce((a, b) => a + b, 0)", chart, dataset)).longValue();
    }

    private String upload(String owner, byte[] body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images"))
                .header("Authorization", bearer(owner)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("id").asText();
    }

    /** @return the X-Upscale header (empty when none) */
    private String render(String owner, String id, String segment) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images/" + id
                + "/" + segment)).header("Authorization", bearer(owner)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), segment);
        return r.headers().firstValue("X-Upscale").orElse("");
    }

    private String bearer(String who) throws Exception {
        if (who.equals(DevIssuer.ADMIN)) {
            return edge.issuer().bearer(who);
        }
        return "Bearer " + edge.issuer().token(who, List.of(), Instant.now(), Duration.ofHours(1));
    }

    /** A 160 px wide copy of the dice (other bytes, so not flagged), small enough for an SR upscale. */
    private static byte[] smallPng(byte[] dice) throws Exception {
        BufferedImage full = ImageIO.read(new java.io.ByteArrayInputStream(dice));
        BufferedImage small = new BufferedImage(160, 120, BufferedImage.TYPE_INT_ARGB);
        var g = small.createGraphics();
        g.drawImage(full, 0, 0, 160, 120, null);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(small, "png", out);
        return out.toByteArray();
    }

    private static boolean pause() throws InterruptedException {
        Thread.sleep(500);
        return true;
    }
}
