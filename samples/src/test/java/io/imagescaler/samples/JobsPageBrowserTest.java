package io.imagescaler.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagescaler.edge.LocalEdge;
import io.imagescaler.samples.web.WebSample;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web sample's jobs page in headless Chromium against a local edge with its queue, worker and mail server:
 * submit a job for an uploaded image with an email address, watch the status move to DELIVERED, and follow the
 * signed result link the page lists. Screenshot in {@code samples/target/}.
 */
class JobsPageBrowserTest {

    @Test
    void aJobSubmittedFromThePageIsFollowedUntilDelivered(@TempDir Path data) throws Exception {
        assumeTrue(HeadlessChromium.installed(), "headless Chromium is not installed (apt-get install -y chromium "
                + "chromium-driver); skipping the browser test of the jobs page");
        try (LocalEdge edge = LocalEdge.start(0, data, Map.of("LOCAL_KAFKA", "false"));
             WebSample web = WebSample.start(0, URI.create(edge.baseUrl()), data, "webp")) {
            String image = EdgeFixture.upload(edge, EdgeFixture.image("png-rgba-dice-800x600.png"));
            ChromeDriver browser = HeadlessChromium.window(1200, 900);
            try {
                JavascriptExecutor js = browser;
                browser.get(web.pageUrl() + "jobs.html?image=" + image);
                browser.findElement(By.id("use-dev-token")).click();
                new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.findElement(By.id("submit-job")).isEnabled());
                var transforms = browser.findElement(By.id("transforms"));
                transforms.clear();
                transforms.sendKeys("w_200,h_200,fit_cover.webp\nw_100.png");
                browser.findElement(By.id("email")).sendKeys("page@example.org");
                browser.findElement(By.id("submit-job")).click();

                new WebDriverWait(browser, Duration.ofSeconds(120)).until(d -> List.of("DELIVERED", "NOT_DELIVERED",
                        "FAILED").contains(d.findElement(By.id("job-status")).getText()));
                assertEquals("", browser.findElement(By.id("job-error")).getText());
                assertEquals("DELIVERED", browser.findElement(By.id("job-status")).getText());
                @SuppressWarnings("unchecked")
                List<String> history = (List<String>) js.executeScript("return Array.from(document.querySelectorAll("
                        + "'#job-history li')).map(li => li.dataset.status)");
                assertEquals("QUEUED", history.getFirst(), history.toString());
                assertEquals("DELIVERED", history.getLast(), history.toString());
                @SuppressWarnings("unchecked")
                List<String> links = (List<String>) js.executeScript("return Array.from(document.querySelectorAll("
                        + "'#job-results a')).map(a => a.href)");
                assertEquals(2, links.size(), links.toString());
                for (String link : links) {
                    assertTrue(link.startsWith(edge.baseUrl() + "/processed/") && link.contains("Signature="), link);
                    HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(link))
                            .build(), HttpResponse.BodyHandlers.ofByteArray());
                    assertEquals(200, r.statusCode(), link);
                }
                assertTrue(edge.mail().received().stream().anyMatch(m -> {
                    try {
                        return m.getAllRecipients()[0].toString().equals("page@example.org");
                    } catch (jakarta.mail.MessagingException e) {
                        return false;
                    }
                }));
                Path shot = Path.of("target", "jobs-page.png");
                Files.createDirectories(shot.getParent());
                Files.write(shot, browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
                System.out.println("screenshot: " + shot.toAbsolutePath() + "; statuses seen: " + history);
            } finally {
                browser.quit();
            }
        }
    }
}
