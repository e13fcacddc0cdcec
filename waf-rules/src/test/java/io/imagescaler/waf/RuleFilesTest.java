package io.imagescaler.waf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The files cdk deploys: they parse, use only statements the evaluator knows, and need their secrets. */
class RuleFilesTest {
    static final Set<String> KNOWN = Set.of("ByteMatchStatement", "RegexMatchStatement", "SizeConstraintStatement",
            "AndStatement", "OrStatement", "NotStatement", "RateBasedStatement", "ManagedRuleGroupStatement");
    static final Map<String, String> SECRETS = Map.of("ORIGIN_VERIFY_CURRENT", "a", "ORIGIN_VERIFY_PREVIOUS", "b");

    static String read(String resource) throws IOException {
        try (InputStream in = RuleFilesTest.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {WafEvaluator.REGIONAL_ACL, WafEvaluator.CLOUDFRONT_ACL})
    void everyStatementTypeIsKnownAndTheFileLoads(String resource) throws IOException {
        Set<String> types = WafEvaluator.statementTypes(read(resource));
        assertTrue(KNOWN.containsAll(types), "unknown statement types: " + types);
        assertTrue(types.contains("RateBasedStatement"), "both ACLs rate-limit per IP");
        WafEvaluator e = WafEvaluator.fromClasspath(resource, SECRETS, 8192);
        assertTrue(e.ruleNames().size() >= 2);
    }

    @Test
    void regionalRuleNames() {
        assertEquals(java.util.List.of("origin-verify", "uri-path-too-long", "upload-over-sync-limit", "rate-per-viewer-ip"),
                WafEvaluator.fromClasspath(WafEvaluator.REGIONAL_ACL, SECRETS, 8192).ruleNames());
    }

    @Test
    void cloudFrontAclCarriesTheManagedCommonRuleSet() throws IOException {
        assertTrue(read(WafEvaluator.CLOUDFRONT_ACL).contains("\"AWSManagedRulesCommonRuleSet\""));
    }

    @Test
    void secretsMustBeGiven() {
        assertThrows(IllegalArgumentException.class, () -> WafEvaluator.fromClasspath(WafEvaluator.REGIONAL_ACL,
                Map.of("ORIGIN_VERIFY_CURRENT", "a"), 8192));
        // an empty previous secret would let a request with an empty header through
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WafEvaluator.fromClasspath(
                WafEvaluator.REGIONAL_ACL, Map.of("ORIGIN_VERIFY_CURRENT", "a", "ORIGIN_VERIFY_PREVIOUS", ""), 8192));
        assertTrue(e.getMessage().contains("ORIGIN_VERIFY_PREVIOUS"));
    }

    @Test
    void secretsAreSubstitutedAsJsonText() {
        String odd = "q\"uo\\te}{";
        WafEvaluator e = WafEvaluator.fromClasspath(WafEvaluator.REGIONAL_ACL,
                Map.of("ORIGIN_VERIFY_CURRENT", odd, "ORIGIN_VERIFY_PREVIOUS", "b"), 8192);
        WafRequest r = WafRequest.of("GET", "/", Map.of("x-origin-verify", odd, "x-forwarded-for", "192.0.2.1"),
                "127.0.0.1", Instant.now());
        assertEquals(WafAction.ALLOW, e.evaluate(r).action());
    }
}
