package io.imagescaler.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The loader that turns waf-rules/ JSON into CloudFormation {@code Rules}; no synth needed. */
class WafRuleSetTest {
    private static final String TWO_SLOTS = """
            [{"Name":"origin-verify","Priority":0,
              "Statement":{"NotStatement":{"Statement":{"OrStatement":{"Statements":[
                {"ByteMatchStatement":{"FieldToMatch":{"SingleHeader":{"Name":"X-Origin-Verify"}},
                  "PositionalConstraint":"EXACTLY","SearchString":"{{ORIGIN_VERIFY_PREVIOUS}}",
                  "TextTransformations":[{"Priority":0,"Type":"NONE"}]}},
                {"ByteMatchStatement":{"FieldToMatch":{"SingleHeader":{"Name":"x-origin-verify"}},
                  "PositionalConstraint":"EXACTLY","SearchString":"{{ORIGIN_VERIFY_CURRENT}}",
                  "TextTransformations":[{"Priority":0,"Type":"NONE"}]}},
                {"ByteMatchStatement":{"FieldToMatch":{"SingleHeader":{"Name":"user-agent"}},
                  "PositionalConstraint":"CONTAINS","SearchString":"{{resolve:ssm:/keep/me}}",
                  "TextTransformations":[{"Priority":0,"Type":"LOWERCASE"}]}}]}}}},
              "Action":{"Block":{}},
              "VisibilityConfig":{"SampledRequestsEnabled":true,"CloudWatchMetricsEnabled":true,"MetricName":"ov"}}]
            """;

    @Test
    void substitutesPlaceholdersAndKeepsTheWafv2ShapeVerbatim() {
        WafRuleSet rules = WafRuleSet.parse("inline", TWO_SLOTS);
        assertEquals(Set.of(WafRuleSet.PREVIOUS, WafRuleSet.CURRENT), rules.placeholders());
        List<Object> rendered = rules.render(Map.of(WafRuleSet.CURRENT, "new-value", WafRuleSet.PREVIOUS, "old-value"));
        String text = rendered.toString();
        assertTrue(text.contains("SearchString=old-value"), text);
        assertTrue(text.contains("SearchString=new-value"), text);
        // CloudFormation's own lower-case references are not placeholders
        assertTrue(text.contains("{{resolve:ssm:/keep/me}}"), text);
        @SuppressWarnings("unchecked")
        Map<String, Object> rule = (Map<String, Object>) rendered.get(0);
        assertEquals(List.of("Name", "Priority", "Statement", "Action", "VisibilityConfig"), List.copyOf(rule.keySet()));
        assertEquals(0L, rule.get("Priority"));
        assertEquals(Map.of("Block", Map.of()), rule.get("Action"));
    }

    @Test
    void slotOrderFollowsTheDocumentAndIgnoresOtherHeaders() {
        assertEquals(List.of("previous", "current"), WafRuleSet.parse("inline", TWO_SLOTS).originVerifySlots("X-Origin-Verify"));
    }

    @Test
    void refusesAMissingValueInsteadOfDeployingALiteralPlaceholder() {
        WafRuleSet rules = WafRuleSet.parse("inline", TWO_SLOTS);
        var e = assertThrows(IllegalArgumentException.class, () -> rules.render(Map.of(WafRuleSet.CURRENT, "x")));
        assertTrue(e.getMessage().contains(WafRuleSet.PREVIOUS), e.getMessage());
    }

    @Test
    void refusesRulesThatAreNotWafv2Rules() {
        assertThrows(IllegalArgumentException.class, () -> WafRuleSet.parse("obj", "{\"Name\":\"x\"}"));
        assertThrows(IllegalArgumentException.class, () -> WafRuleSet.parse("empty", "[]"));
        assertThrows(IllegalArgumentException.class, () -> WafRuleSet.parse("no-visibility",
                "[{\"Name\":\"a\",\"Priority\":0,\"Statement\":{},\"Action\":{\"Block\":{}}}]"));
        assertThrows(IllegalArgumentException.class, () -> WafRuleSet.parse("both-actions",
                "[{\"Name\":\"a\",\"Priority\":0,\"Statement\":{},\"Action\":{\"Block\":{}},\"OverrideAction\":{\"None\":{}},"
                        + "\"VisibilityConfig\":{}}]"));
        assertThrows(IllegalArgumentException.class, () -> WafRuleSet.load(Path.of("target/does-not-exist.json")));
    }

    @Test
    void theRulesThisModuleDeploysCarryTheOriginVerifyMatch() {
        for (Path dir : List.of(RepoLayout.discover().wafRulesDir(), Path.of("src/test/resources/waf"))) {
            Path regional = dir.resolve("regional-acl.json");
            if (!Files.isRegularFile(regional)) {
                continue;
            }
            List<String> slots = WafRuleSet.load(regional).originVerifySlots("X-Origin-Verify");
            assertTrue(slots.contains("current") && slots.contains("previous"), dir + ": " + slots);
            assertTrue(WafRuleSet.load(dir.resolve("cloudfront-acl.json")).size() > 0);
        }
    }

    @Test
    void theRealWafRulesModuleIsUsedWhenItExists() {
        Path real = RepoLayout.discover().wafRulesDir();
        Assumptions.assumeTrue(Files.isRegularFile(real.resolve("regional-acl.json")), "waf-rules/ has not written its JSON yet");
        assertEquals(real, Synthesized.wafRulesDir());
    }
}
