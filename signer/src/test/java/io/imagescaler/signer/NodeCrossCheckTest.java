package io.imagescaler.signer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.signer.Verdict.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cross-checks against an independent implementation: the AWS SDK for JavaScript's
 * {@code @aws-sdk/cloudfront-signer}, run by node. Skipped (not failed) where node or the npm package
 * cannot be had: a clone without network and without an npm cache.
 */
class NodeCrossCheckTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path WORK = Path.of("target", "node-crosscheck");
    static final String ORIGIN = "https://d111111abcdef8.cloudfront.net";
    static final String IMAGE = ORIGIN + "/v1/images/Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF/";
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final Instant EXPIRES = NOW.plusSeconds(3600);
    static final String CLIENT = "198.51.100.20";

    static Path privateKeyFile;
    final SignatureVerifier verifier = new SignatureVerifier(TestKeys.groupAB());

    @BeforeAll
    static void installSigner() throws Exception {
        Process version;
        try {
            version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "node is not installed");
            return;
        }
        assumeTrue(version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0, "node does not run");
        Files.createDirectories(WORK);
        for (String f : new String[] {"package.json", "package-lock.json", "sign.js"}) {
            Files.copy(Path.of("src", "test", "node", f), WORK.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(WORK.resolve("node_modules/@aws-sdk/cloudfront-signer"))) {
            Process npm;
            try {
                npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline")
                        .directory(WORK.toFile()).redirectErrorStream(true)
                        .redirectOutput(WORK.resolve("npm-ci.log").toFile()).start();
            } catch (IOException e) {
                assumeTrue(false, "npm is not installed");
                return;
            }
            boolean done = npm.waitFor(180, TimeUnit.SECONDS);
            if (!done) {
                npm.destroyForcibly();
            }
            assumeTrue(done && npm.exitValue() == 0,
                    "npm ci failed (offline?): " + Files.readString(WORK.resolve("npm-ci.log")));
        }
        privateKeyFile = WORK.resolve("key-a.pem");
        Files.writeString(privateKeyFile, PemKeys.privateKeyPem(TestKeys.A.getPrivate()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> node(Map<String, Object> request) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>(request);
        r.put("keyPairId", TestKeys.ID_A);
        r.put("privateKeyFile", privateKeyFile.toAbsolutePath().toString());
        Process p = new ProcessBuilder("node", "sign.js").directory(WORK.toFile()).start();
        p.getOutputStream().write(JSON.writeValueAsBytes(r));
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        return JSON.readValue(out, Map.class);
    }

    /** Cookie values as a browser sends them: text (node returns CloudFront-Expires as a JSON number). */
    static Map<String, String> strings(Map<String, Object> values) {
        Map<String, String> s = new HashMap<>();
        values.forEach((k, v) -> s.put(k, String.valueOf(v)));
        return s;
    }

    static String param(String url, String name) {
        var m = java.util.regex.Pattern.compile("[?&]" + name + "=([^&]*)").matcher(url);
        assertTrue(m.find(), name + " in " + url);
        return m.group(1);
    }

    /** Every single-character edit of a signed field, and of the path, must be refused. */
    void assertOneByteChangesAreRefused(String url) {
        for (String name : new String[] {"Signature", "Policy", "Expires"}) {
            if (!url.contains(name + "=")) {
                continue;
            }
            String value = param(url, name);
            for (int i : new int[] {0, value.length() / 3, value.length() - 3}) {
                char c = value.charAt(i);
                String edited = value.substring(0, i) + (char) (c == '1' ? '2' : c == 'A' ? 'B' : c == '9' ? '8'
                        : Character.isDigit(c) ? c + 1 : 'A') + value.substring(i + 1);
                String bad = url.replace(name + "=" + value, name + "=" + edited);
                Verdict v = verifier.verify(bad, Map.of(), CLIENT, NOW);
                assertFalse(v.allowed(), name + "[" + i + "] changed: " + v.reason());
            }
        }
        String badPath = url.replace("/v1/images/", "/v1/imageS/");
        assertFalse(verifier.verify(badPath, Map.of(), CLIENT, NOW).allowed());
    }

    @ParameterizedTest
    @EnumSource(HashAlgorithm.class)
    void cannedUrlsAreByteForByteTheSameSignature(HashAlgorithm hash) throws Exception {
        String url = IMAGE + "w_640.webp";
        String nodeUrl = (String) node(Map.of("mode", "url", "url", url, "dateLessThan", EXPIRES.getEpochSecond(),
                "algorithm", hash.name())).get("url");
        Verdict v = verifier.verify(nodeUrl, Map.of(), CLIENT, NOW);
        assertEquals(Outcome.ALLOWED, v.outcome(), v.reason());
        String javaUrl = UrlSigner.with(TestKeys.signingA()).hash(hash).signCanned(url, EXPIRES);
        assertEquals(param(nodeUrl, "Signature"), param(javaUrl, "Signature"));
        assertEquals(param(nodeUrl, "Expires"), param(javaUrl, "Expires"));
        assertOneByteChangesAreRefused(nodeUrl);
    }

    @ParameterizedTest
    @EnumSource(HashAlgorithm.class)
    void nodeEncodesCommasAndTheUrlIsVerifiedAsSent(HashAlgorithm hash) throws Exception {
        String nodeUrl = (String) node(Map.of("mode", "url", "url", IMAGE + "w_800,h_600,fit_cover.jpg",
                "dateLessThan", EXPIRES.getEpochSecond(), "algorithm", hash.name())).get("url");
        assertTrue(nodeUrl.contains("w_800%2Ch_600"), nodeUrl);
        assertTrue(verifier.verify(nodeUrl, Map.of(), CLIENT, NOW).allowed());
        assertOneByteChangesAreRefused(nodeUrl);
    }

    @ParameterizedTest
    @EnumSource(HashAlgorithm.class)
    void customPolicyWithStartAndAddressRange(HashAlgorithm hash) throws Exception {
        Instant start = NOW.minusSeconds(10);
        String nodeUrl = (String) node(Map.of("mode", "url", "url", IMAGE + "w_320.avif",
                "dateLessThan", EXPIRES.getEpochSecond(), "dateGreaterThan", start.getEpochSecond(),
                "ipAddress", "198.51.100.0/24", "algorithm", hash.name())).get("url");
        assertTrue(nodeUrl.contains("Policy="));
        assertEquals(Outcome.ALLOWED, verifier.verify(nodeUrl, Map.of(), CLIENT, NOW).outcome());
        assertEquals(Outcome.IP_NOT_ALLOWED, verifier.verify(nodeUrl, Map.of(), "198.51.101.20", NOW).outcome());
        assertEquals(Outcome.NOT_YET_VALID,
                verifier.verify(nodeUrl, Map.of(), CLIENT, start.minusSeconds(1)).outcome());
        assertEquals(Outcome.EXPIRED, verifier.verify(nodeUrl, Map.of(), CLIENT, EXPIRES).outcome());
        assertOneByteChangesAreRefused(nodeUrl);
    }

    @ParameterizedTest
    @EnumSource(HashAlgorithm.class)
    void wildcardPolicyCoversTheImageOnly(HashAlgorithm hash) throws Exception {
        String policy = new Policy(IMAGE + "*", EXPIRES, null, null).customJson();
        String nodeUrl = (String) node(Map.of("mode", "url", "url", IMAGE + "w_320.webp", "policy", policy,
                "algorithm", hash.name())).get("url");
        assertTrue(verifier.verify(nodeUrl, Map.of(), CLIENT, NOW).allowed());
        assertTrue(verifier.verify(nodeUrl.replace("w_320.webp", "w_1280,q_60.avif"), Map.of(), CLIENT, NOW).allowed());
        assertEquals(Outcome.RESOURCE_MISMATCH,
                verifier.verify(nodeUrl.replace("/Zm9vYmFy", "/Zm9vYmFz"), Map.of(), CLIENT, NOW).outcome());
        assertOneByteChangesAreRefused(nodeUrl);
        // the Java signer produces the same signature over the same policy bytes
        String javaQuery = UrlSigner.with(TestKeys.signingA()).hash(hash).customQuery(new Policy(IMAGE + "*", EXPIRES, null, null));
        assertEquals(param(nodeUrl, "Signature"), param("?" + javaQuery, "Signature"));
    }

    @ParameterizedTest
    @EnumSource(HashAlgorithm.class)
    @SuppressWarnings("unchecked")
    void signedCookies(HashAlgorithm hash) throws Exception {
        String url = IMAGE + "original";
        Map<String, String> canned = strings((Map<String, Object>) node(Map.of("mode", "cookies", "url", url,
                "dateLessThan", EXPIRES.getEpochSecond(), "algorithm", hash.name())).get("cookies"));
        Map<String, String> custom = strings((Map<String, Object>) node(Map.of("mode", "cookies", "url", IMAGE + "*",
                "dateLessThan", EXPIRES.getEpochSecond(), "ipAddress", "198.51.100.20", "algorithm", hash.name()))
                .get("cookies"));
        assertTrue(canned.containsKey("CloudFront-Expires") && custom.containsKey("CloudFront-Policy"));
        for (Map<String, String> cookies : java.util.List.of(canned, custom)) {
            Verdict v = verifier.verify(url, cookies, CLIENT, NOW);
            assertEquals(Outcome.ALLOWED, v.outcome(), v.reason());
            assertEquals(Verdict.Source.COOKIE, v.source());
            for (String name : new String[] {"CloudFront-Signature", "CloudFront-Policy", "CloudFront-Expires"}) {
                if (cookies.containsKey(name)) {
                    Map<String, String> bad = new HashMap<>(cookies);
                    String value = cookies.get(name);
                    char c = value.charAt(7);
                    bad.put(name, value.substring(0, 7) + (c == '1' ? '2' : c == 'A' ? 'B' : 'A') + value.substring(8));
                    assertFalse(verifier.verify(url, bad, CLIENT, NOW).allowed(), name);
                }
            }
        }
        assertEquals(Outcome.IP_NOT_ALLOWED, verifier.verify(url, custom, "198.51.100.21", NOW).outcome());
    }
}
