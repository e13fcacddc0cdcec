package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * AWS's own {@code @aws-sdk/cloudfront-signer} (what a Node or Next.js page server signs with), installed by npm
 * from the signer module's committed package.json and lockfile into target/, run by node. A test that needs it is
 * skipped, with the reason, where node or npm is missing or the package cannot be had (offline, no cache).
 */
final class AwsJsSigner {
    private static final Path TOOLING = Path.of("..", "signer", "src", "test", "node");
    private static final Path WORK = Path.of("target", "aws-js-signer");
    private static final ObjectMapper JSON = new ObjectMapper();

    private AwsJsSigner() {
    }

    /** Installs the package once per checkout; skips the calling test where that is impossible. */
    static void require() throws Exception {
        try {
            Process v = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            assumeTrue(v.waitFor(30, TimeUnit.SECONDS) && v.exitValue() == 0, "skipped: node does not run");
        } catch (IOException e) {
            assumeTrue(false, "skipped: node is not installed");
        }
        Files.createDirectories(WORK);
        for (String f : new String[] {"package.json", "package-lock.json", "sign.js"}) {
            Files.copy(TOOLING.resolve(f), WORK.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (Files.isDirectory(WORK.resolve("node_modules/@aws-sdk/cloudfront-signer"))) {
            return;
        }
        Process npm;
        try {
            npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline")
                    .directory(WORK.toFile()).redirectErrorStream(true)
                    .redirectOutput(WORK.resolve("npm-ci.log").toFile()).start();
        } catch (IOException e) {
            System.out.println("AwsJsSigner: skipped, npm is not installed");
            assumeTrue(false, "skipped: npm is not installed");
            return;
        }
        boolean done = npm.waitFor(180, TimeUnit.SECONDS);
        if (!done) {
            npm.destroyForcibly();
        }
        if (!done || npm.exitValue() != 0) {
            String log = Files.readString(WORK.resolve("npm-ci.log"));
            System.out.println("AwsJsSigner: skipped, npm ci failed: " + log);
            assumeTrue(false, "skipped: npm ci failed (offline?): " + log);
        }
    }

    /** A canned-policy signed URL, exactly as {@code getSignedUrl} returns it. */
    static String signUrl(String url, String keyPairId, Path privateKeyPem, Instant expires) throws Exception {
        Process p = new ProcessBuilder("node", "sign.js").directory(WORK.toFile()).start();
        p.getOutputStream().write(JSON.writeValueAsBytes(Map.of("mode", "url", "url", url, "keyPairId", keyPairId,
                "privateKeyFile", privateKeyPem.toAbsolutePath().toString(), "dateLessThan", expires.getEpochSecond())));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        return JSON.readTree(out).get("url").asText();
    }
}
