package io.imagescaler.waf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CloudFront web ACL: per-IP rates (all requests, and writes) and the managed rule set reported as skipped. */
class CloudFrontAclTest {
    static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

    final WafEvaluator acl = WafEvaluator.fromClasspath(WafEvaluator.CLOUDFRONT_ACL, Map.of(),
            WafEvaluator.CLOUDFRONT_BODY_INSPECTION_LIMIT);

    WafDecision request(String method, String ip, Instant t) {
        return acl.evaluate(WafRequest.of(method, "/v1/images/x/w_800.webp", Map.of(), ip, t));
    }

    @Test
    void managedCommonRuleSetIsReportedNotEvaluated() {
        WafDecision d = request("GET", "192.0.2.1", T0);
        assertEquals(WafAction.ALLOW, d.action());
        assertEquals(List.of("aws-common-rule-set (AWS/AWSManagedRulesCommonRuleSet)"), d.notEvaluatedLocally());
        assertTrue(d.describe().contains("not evaluated locally"));
    }

    @Test
    void readsAreLimitedTo2000PerFiveMinutesPerIp() {
        for (int i = 0; i < 2000; i++) {
            assertFalse(request("GET", "192.0.2.1", T0.plusMillis(i * 100L)).blocked(), "request " + (i + 1));
        }
        WafDecision over = request("GET", "192.0.2.1", T0.plusSeconds(200));
        assertEquals("rate-per-ip", over.terminatingRule());
        assertFalse(request("GET", "192.0.2.2", T0.plusSeconds(200)).blocked());
    }

    @Test
    void writesAreLimitedTo100PerFiveMinutesPerIp() {
        for (int i = 0; i < 100; i++) {
            assertFalse(request(i % 2 == 0 ? "POST" : "DELETE", "192.0.2.9", T0.plusSeconds(i)).blocked());
        }
        assertEquals("rate-per-ip-writes", request("POST", "192.0.2.9", T0.plusSeconds(101)).terminatingRule());
        // reads from the same address are not counted by the writes rule
        assertFalse(request("GET", "192.0.2.9", T0.plusSeconds(102)).blocked());
        assertFalse(request("HEAD", "192.0.2.9", T0.plusSeconds(102)).blocked());
        // and writes pass again once the window has moved past them
        assertFalse(request("POST", "192.0.2.9", T0.plusSeconds(500)).blocked());
    }
}
