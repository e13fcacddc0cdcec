package io.imagescaler.waf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The API Gateway web ACL, rule by rule, positive and negative. */
class RegionalAclTest {
    static final String CURRENT = "c8f1e0d2-current-Secret";
    static final String PREVIOUS = "0b9a7c55-previous-Secret";
    static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

    final WafEvaluator acl = WafEvaluator.fromClasspath(WafEvaluator.REGIONAL_ACL,
            Map.of("ORIGIN_VERIFY_CURRENT", CURRENT, "ORIGIN_VERIFY_PREVIOUS", PREVIOUS),
            WafEvaluator.REGIONAL_BODY_INSPECTION_LIMIT);

    static Map<String, String> headers(String... kv) {
        Map<String, String> h = new HashMap<>();
        h.put("x-origin-verify", CURRENT);
        h.put("X-Forwarded-For", "198.51.100.7");
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                h.remove(kv[i]);
            } else {
                h.put(kv[i], kv[i + 1]);
            }
        }
        return h;
    }

    WafDecision get(String path, Map<String, String> headers) {
        return acl.evaluate(WafRequest.of("GET", path, headers, "127.0.0.1", T0));
    }

    WafDecision post(String path, Map<String, String> headers) {
        return acl.evaluate(WafRequest.of("POST", path, headers, "127.0.0.1", T0));
    }

    @Test
    void currentAndPreviousSecretsPass() {
        WafDecision d = get("/v1/images/x/w_800.webp", headers());
        assertEquals(WafAction.ALLOW, d.action());
        assertNull(d.terminatingRule());
        assertTrue(get("/v1/images/x/w_800.webp", headers("x-origin-verify", PREVIOUS)).action() == WafAction.ALLOW);
        // header names are case-insensitive
        assertEquals(WafAction.ALLOW, get("/", headers("x-origin-verify", null, "X-Origin-Verify", CURRENT)).action());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "nope", "c8f1e0d2-current-secret", " c8f1e0d2-current-Secret", "c8f1e0d2-current-Secret ",
            "c8f1e0d2-current-Secretx", "c8f1e0d2-current-Secret0b9a7c55-previous-Secret"})
    void forgedOrAlteredSecretIsBlocked(String forged) {
        WafDecision d = get("/v1/images/x/w_800.webp", headers("x-origin-verify", forged));
        assertEquals(WafAction.BLOCK, d.action());
        assertEquals("origin-verify", d.terminatingRule());
    }

    @Test
    void missingSecretIsBlocked() {
        WafDecision d = get("/v1/images/x/w_800.webp", headers("x-origin-verify", null));
        assertEquals("origin-verify", d.terminatingRule());
        assertTrue(d.blocked());
    }

    @Test
    void uriPathLength() {
        assertEquals(WafAction.ALLOW, get("/" + "a".repeat(1023), headers()).action());
        WafDecision d = get("/" + "a".repeat(1024), headers());
        assertEquals("uri-path-too-long", d.terminatingRule());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "5242880", "005242880", "5242800", "5242879", "999999", "4999999"})
    void uploadsUpToTheSyncLimitPass(String length) {
        assertEquals(WafAction.ALLOW, post("/v1/images", headers("content-length", length)).action(), length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5242881", "5242889", "5242890", "5242900", "5243000", "5250000", "5300000", "6000000",
            "10000000", "99999999999", "0005242881"})
    void uploadsOverTheSyncLimitAreBlocked(String length) {
        WafDecision d = post("/v1/images", headers("content-length", length));
        assertEquals("upload-over-sync-limit", d.terminatingRule(), length);
    }

    @Test
    void theLimitRegexAgreesWithNumericComparisonAroundTheLimit() {
        for (long n = 5_240_000; n <= 5_245_000; n++) {
            // a fresh viewer address per request keeps the rate rule out of this check
            String viewer = "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
            WafDecision d = post("/v1/images", headers("content-length", Long.toString(n), "X-Forwarded-For", viewer));
            assertEquals(n > 5_242_880, d.blocked(), Long.toString(n));
            assertEquals(n > 5_242_880 ? "upload-over-sync-limit" : null, d.terminatingRule());
        }
    }

    @Test
    void uploadWithoutContentLengthIsBlocked() {
        assertEquals("upload-over-sync-limit", post("/v1/images", headers()).terminatingRule());
    }

    @Test
    void theUploadRuleIsScopedToPostOnTheUploadPath() {
        assertEquals(WafAction.ALLOW, get("/v1/images", headers("content-length", "9999999")).action());
        assertEquals(WafAction.ALLOW, post("/v1/uploads", headers("content-length", "9999999")).action());
        assertEquals(WafAction.ALLOW, post("/v1/images/x", headers("content-length", "9999999")).action());
        // the path comparison is lower-cased first
        assertEquals("upload-over-sync-limit", post("/V1/Images", headers("content-length", "9999999")).terminatingRule());
    }

    @Test
    void ratePerForwardedViewerIp() {
        Instant t = T0;
        for (int i = 0; i < 1000; i++) {
            t = t.plusMillis(250); // 1000 requests within 250 s: inside one 5-minute window
            assertFalse(acl.evaluate(WafRequest.of("GET", "/v1/images/x/original", headers(), "10.0.0.1", t)).blocked(),
                    "request " + (i + 1));
        }
        WafDecision over = acl.evaluate(WafRequest.of("GET", "/v1/images/x/original", headers(), "10.0.0.1", t));
        assertEquals("rate-per-viewer-ip", over.terminatingRule());
        // another viewer behind the same CloudFront edge address is not affected
        assertFalse(acl.evaluate(WafRequest.of("GET", "/", headers("X-Forwarded-For", "198.51.100.8"), "10.0.0.1", t))
                .blocked());
        // the first address of the header is the viewer, as WAF reads it
        assertTrue(acl.evaluate(WafRequest.of("GET", "/", headers("X-Forwarded-For", "198.51.100.7, 10.9.9.9"),
                "10.0.0.1", t)).blocked());
        // the window slides: five minutes after the first requests, the oldest have left it
        assertFalse(acl.evaluate(WafRequest.of("GET", "/", headers(), "10.0.0.1", T0.plusSeconds(301).plusMillis(1000)))
                .blocked());
    }

    @Test
    void missingOrInvalidForwardedAddressIsNotCounted() {
        // NO_MATCH: such requests cannot come through CloudFront (which always sets the header), and
        // origin-verify already stops requests that go around it
        for (int i = 0; i < 1100; i++) {
            assertNull(get("/", headers("X-Forwarded-For", null)).terminatingRule());
        }
        assertNull(get("/", headers("X-Forwarded-For", "not-an-ip")).terminatingRule());
    }

    @Test
    void originVerifyIsCheckedBeforeEverythingElse() {
        // a request failing several rules is reported under the first by priority
        WafDecision d = post("/" + "a".repeat(2000), headers("x-origin-verify", null, "X-Forwarded-For", null));
        assertEquals("origin-verify", d.terminatingRule());
    }
}
