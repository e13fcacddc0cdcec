package io.imagescaler.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Runs the viewer-request CloudFront Function under node (the jsii runtime needs node anyway) with
 * CloudFront-shaped events: what it returns is the URI both origins of the group see.
 */
class VariantRequestFunctionTest {
    private static final String ID = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    @ParameterizedTest(name = "{0} with Accept {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "/v1/images/" + ID + "/w_800.auto|image/avif,image/webp,*/*|/" + ID + "/w_800.avif",
            "/v1/images/" + ID + "/w_800.auto|image/webp,*/*|/" + ID + "/w_800.webp",
            "/v1/images/" + ID + "/w_800.auto|*/*|/" + ID + "/w_800.jpg",
            "/v1/images/" + ID + "/w_800.auto||/" + ID + "/w_800.jpg",
            "/v1/images/" + ID + "/w_800,h_600,fit_cover.png|image/avif|/" + ID + "/w_800,h_600,fit_cover.png",
            "/v1/uploads|image/avif|/v1/uploads"})
    void rewritesAutoFromAcceptAndStripsThePrefix(String uri, String accept, String expected) throws Exception {
        assertEquals(expected, run(uri, accept == null ? "" : accept));
    }

    private static String run(String uri, String accept) throws IOException, InterruptedException {
        Assumptions.assumeTrue(nodeAvailable(), "node is not installed");
        String code = Files.readString(RepoLayout.discover().variantRequestFunction());
        String headers = accept.isEmpty() ? "{}" : "{accept:{value:" + quote(accept) + "}}";
        String script = code + "\nconsole.log(handler({request:{method:'GET',uri:" + quote(uri)
                + ",querystring:{Expires:{value:'1'}},headers:" + headers + "}}).uri);\n";
        Path file = Files.createTempFile(Path.of("target"), "cf-function", ".js");
        Files.writeString(file, script);
        Process p = new ProcessBuilder("node", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static boolean nodeAvailable() {
        try {
            return new ProcessBuilder("node", "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
