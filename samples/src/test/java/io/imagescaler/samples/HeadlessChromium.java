package io.imagescaler.samples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's {@code chromium} and {@code chromium-driver}, headless, with nothing that calls home (no background
 * networking, component updates, sync or metrics): the browser the page tests drive.
 */
final class HeadlessChromium {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    /** A window of {@code width}x{@code height} CSS px. */
    static ChromeDriver window(int width, int height) {
        ChromeOptions options = options();
        options.addArguments("--window-size=" + width + "," + height);
        return start(options);
    }

    /** A mobile viewport of {@code width}x{@code height} CSS px at device pixel ratio {@code dpr}. */
    static ChromeDriver mobile(int width, int height, double dpr) {
        ChromeOptions options = options();
        options.setExperimentalOption("mobileEmulation", Map.of("deviceMetrics",
                Map.of("width", width, "height", height, "pixelRatio", dpr)));
        return start(options);
    }

    private static ChromeOptions options() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--metrics-recording-only", "--no-default-browser-check");
        return options;
    }

    private static ChromeDriver start(ChromeOptions options) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
