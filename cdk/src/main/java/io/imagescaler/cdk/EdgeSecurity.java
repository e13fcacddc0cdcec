package io.imagescaler.cdk;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretProps;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.wafv2.CfnWebACL;
import software.amazon.awscdk.services.wafv2.CfnWebACLProps;
import software.constructs.Construct;

/**
 * The shared secret between CloudFront and API Gateway, and the two web ACLs built from {@code waf-rules/}:
 * the regional one in front of API Gateway (it blocks requests that do not carry the secret in
 * {@code X-Origin-Verify}) and the CloudFront-scope one in front of the distribution.
 *
 * <p>The secret is JSON: {@code {"current": "..."}} after creation, {@code {"current": new, "previous": old}}
 * after a rotation. CloudFormation renders both placeholders from {@code current}; only the rotation Lambda
 * (see {@link OriginVerifyRotation}) ever writes a distinct previous value into the deployed ACL. That keeps
 * the first deployment free of a second, made-up value that would also pass the ACL.
 *
 * <p>CloudFront-scope web ACLs exist only in us-east-1, so this stack is deployed there (the app pins
 * the region); a deployment elsewhere would move {@link #cloudFrontAcl()} into its own us-east-1 stack.
 */
public final class EdgeSecurity extends Construct {
    public static final String ORIGIN_VERIFY_HEADER = "X-Origin-Verify";

    private final Secret originVerify;
    private final CfnWebACL regionalAcl;
    private final CfnWebACL cloudFrontAcl;
    private final List<String> regionalSlots;

    public EdgeSecurity(Construct scope, String id, WafRuleSet regionalRules, WafRuleSet cloudFrontRules) {
        super(scope, id);
        String stackName = Stack.of(this).getStackName();
        originVerify = new Secret(this, "OriginVerify", SecretProps.builder()
                .description("X-Origin-Verify value CloudFront adds and the regional WAF requires")
                .generateSecretString(SecretStringGenerator.builder()
                        .secretStringTemplate("{}")
                        .generateStringKey("current")
                        .passwordLength(48)
                        // header-safe: no quotes, spaces or punctuation a proxy might mangle
                        .excludePunctuation(true)
                        .build())
                .build());

        String current = originVerify.secretValueFromJson("current").unsafeUnwrap();
        Map<String, String> values = Map.of(WafRuleSet.CURRENT, current, WafRuleSet.PREVIOUS, current);

        regionalSlots = regionalRules.originVerifySlots(ORIGIN_VERIFY_HEADER);
        if (!regionalSlots.contains("current")) {
            throw new IllegalArgumentException(regionalRules + " has no " + ORIGIN_VERIFY_HEADER
                    + " byte match on {{" + WafRuleSet.CURRENT + "}}: API Gateway would be open to direct calls");
        }
        regionalAcl = webAcl("Regional", stackName + "-regional", "REGIONAL", regionalRules.render(values));
        cloudFrontAcl = webAcl("CloudFront", stackName + "-cloudfront", "CLOUDFRONT", cloudFrontRules.render(values));
    }

    private CfnWebACL webAcl(String id, String name, String scope, List<Object> rules) {
        CfnWebACL acl = new CfnWebACL(this, id, CfnWebACLProps.builder()
                .name(name)
                .scope(scope)
                .defaultAction(CfnWebACL.DefaultActionProperty.builder()
                        .allow(CfnWebACL.AllowActionProperty.builder().build()).build())
                .visibilityConfig(CfnWebACL.VisibilityConfigProperty.builder()
                        .cloudWatchMetricsEnabled(true)
                        .sampledRequestsEnabled(true)
                        .metricName(name)
                        .build())
                .build());
        // verbatim WAFv2 Rule objects: the JSON in waf-rules/ already has CloudFormation's shape
        acl.addPropertyOverride("Rules", rules);
        return acl;
    }

    public Secret originVerify() {
        return originVerify;
    }

    /** The header value CloudFront sends: a dynamic reference resolved by CloudFormation at deploy time. */
    public String currentOriginVerifyValue() {
        return originVerify.secretValueFromJson("current").unsafeUnwrap();
    }

    public CfnWebACL regionalAcl() {
        return regionalAcl;
    }

    public CfnWebACL cloudFrontAcl() {
        return cloudFrontAcl;
    }

    /** Slot order of the origin-verify byte matches in the regional ACL, for the rotation Lambda. */
    public List<String> regionalSlots() {
        return regionalSlots;
    }
}
