package io.imagescaler.cdk;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.FunctionProps;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogGroupProps;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.secretsmanager.RotationScheduleOptions;
import software.constructs.Construct;

/**
 * Rotates the {@code X-Origin-Verify} secret every 30 days: the regional web ACL first accepts the new
 * value next to the old one, then CloudFront switches to the new value (the sequence is documented in
 * {@code src/main/resources/rotation/origin_verify_rotation.py} and the README).
 */
public final class OriginVerifyRotation extends Construct {
    private final Function function;

    public OriginVerifyRotation(Construct scope, String id, RepoLayout repo, EdgeSecurity security, Cdn cdn) {
        super(scope, id);
        Stack stack = Stack.of(this);
        LogGroup rotatorLogs = new LogGroup(this, "RotatorLogs", LogGroupProps.builder()
                .retention(RetentionDays.ONE_YEAR).build());
        function = new Function(this, "Rotator", FunctionProps.builder()
                .description("rotates X-Origin-Verify: WAF accepts new+old, then CloudFront sends new")
                .runtime(Runtime.PYTHON_3_14)
                .handler("origin_verify_rotation.handler")
                .code(Code.fromAsset(repo.rotationCode().toString()))
                // a CloudFront UpdateDistribution round trip is slow; the WAF update needs its lock token
                .timeout(Duration.minutes(2))
                .memorySize(256)
                .environment(Map.of(
                        "HEADER_NAME", EdgeSecurity.ORIGIN_VERIFY_HEADER,
                        "SLOT_ORDER", String.join(",", security.regionalSlots()),
                        "WEB_ACL_NAME", security.regionalAcl().getName(),
                        "WEB_ACL_ID", security.regionalAcl().getAttrId(),
                        "DISTRIBUTION_ID", cdn.distribution().getDistributionId()))
                .logGroup(rotatorLogs)
                .role(FunctionRole.writingTo(this, "RotatorRole", rotatorLogs,
                        "X-Origin-Verify rotation: its own logs plus the grants below"))
                .build());

        function.addToRolePolicy(Allow.statement(List.of("wafv2:GetWebACL", "wafv2:UpdateWebACL"),
                List.of(security.regionalAcl().getAttrArn())));
        // UpdateWebACL re-submits the whole rule list, which names AWS managed rule groups
        function.addToRolePolicy(Allow.statement(List.of("wafv2:UpdateWebACL"),
                List.of(Fn.sub("arn:${AWS::Partition}:wafv2:${AWS::Region}:${AWS::AccountId}:regional/managedruleset/*/*"))));
        function.addToRolePolicy(Allow.statement(
                List.of("cloudfront:GetDistributionConfig", "cloudfront:UpdateDistribution"),
                List.of(stack.formatArn(software.amazon.awscdk.ArnComponents.builder()
                        .service("cloudfront").region("").resource("distribution")
                        .resourceName(cdn.distribution().getDistributionId()).build()))));

        NagSuppressions.addResourceSuppressions(function.getRole(), List.of(NagPackSuppression.builder().id("AwsSolutions-IAM5")
                .appliesTo(List.of("Resource::*",
                        "Resource::arn:<AWS::Partition>:wafv2:<AWS::Region>:<AWS::AccountId>:regional/managedruleset/*/*"))
                .reason("UpdateWebACL must name the AWS managed rule groups the ACL uses, whose ids AWS assigns;"
                        + " '*' is secretsmanager:GetRandomPassword (granted by CDK to a rotation function), which has"
                        + " no resource-level permissions").build()), true);
        // grants the secret actions (Describe/Get/Put/UpdateVersionStage) and lets Secrets Manager invoke it
        security.originVerify().addRotationSchedule("Rotation", RotationScheduleOptions.builder()
                .rotationLambda(function)
                .automaticallyAfter(Duration.days(30))
                .build());
    }

    public Function function() {
        return function;
    }
}
