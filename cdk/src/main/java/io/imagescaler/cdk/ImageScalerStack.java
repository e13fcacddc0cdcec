package io.imagescaler.cdk;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import java.util.Optional;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnOutputProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.PolicyProps;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.amazon.awscdk.services.ssm.StringParameterProps;
import software.constructs.Construct;

/**
 * The whole deployment in one stack, pinned to us-east-1 because the CloudFront-scope web ACL must be
 * created there. Each concern is one construct; this class only wires them in dependency order.
 */
public final class ImageScalerStack extends Stack {
    private final Storage storage;
    private final EdgeSecurity security;
    private final Uploaders uploaders;
    private final Optional<SuperResolution> sr;
    private final ServiceEvents events;
    private final ImageApi api;
    private final UploadProcessing uploadProcessing;
    private final Cdn cdn;
    private final Jobs jobs;
    private final Optional<KafkaIngest> kafka;
    private final OriginVerifyRotation rotation;
    private final Monitoring monitoring;
    private final Analytics analytics;

    public ImageScalerStack(Construct scope, String id, StackProps props, DeploymentSettings settings, RepoLayout repo) {
        super(scope, id, props);
        if (!"us-east-1".equals(getRegion())) {
            throw new IllegalArgumentException("this stack holds the CloudFront-scope web ACL, which exists only in"
                    + " us-east-1; got region " + getRegion() + " (see cdk/README.md, 'Other regions')");
        }
        storage = new Storage(this, "Storage", settings);
        security = new EdgeSecurity(this, "EdgeSecurity",
                WafRuleSet.load(settings.wafRulesDir().resolve("regional-acl.json")),
                WafRuleSet.load(settings.wafRulesDir().resolve("cloudfront-acl.json")));
        uploaders = new Uploaders(this, "Uploaders", settings);
        sr = settings.superResolution() ? Optional.of(new SuperResolution(this, "SuperResolution", settings)) : Optional.empty();
        events = new ServiceEvents(this, "Events");
        api = new ImageApi(this, "ImageApi", settings, repo, storage, security, uploaders, sr);
        uploadProcessing = new UploadProcessing(this, "UploadProcessing", settings, storage, api);
        cdn = new Cdn(this, "Cdn", settings, repo, storage, api, security);
        // after the distribution: the worker's result links name its domain (nothing before depends on the worker)
        jobs = new Jobs(this, "Jobs", settings, Jobs.Settings.fromContext(getNode()), storage, api, cdn, sr, events);
        // the scheduled sweep runs on the upload processor: it also fails jobs whose last attempt died
        uploadProcessing.function().addEnvironment("JOBS_STUCK_AFTER_SECONDS", Long.toString(jobs.stuckAfterSeconds()));
        events.publishFrom(api.function());
        events.publishFrom(uploadProcessing.function());
        kafka = KafkaIngest.fromContext(getNode())
                .map(source -> new KafkaIngest(this, "KafkaIngest", settings, source, KafkaIngest.Network.fromContext(getNode()),
                        storage, api, events));
        rotation = new OriginVerifyRotation(this, "OriginVerifyRotation", repo, security, cdn);
        monitoring = new Monitoring(this, "Monitoring", settings, api, cdn, security, sr, jobs, uploadProcessing);
        grantInvalidation();
        grantResultLinks(settings);
        analytics = new Analytics(this, "Analytics", settings, repo, storage.logs());
        analytics.grantReportsTo(api.function());
        analytics.grantEventsTo(uploadProcessing.function());
        analytics.grantEventsTo(jobs.worker());
        kafka.ifPresent(k -> analytics.grantEventsTo(k.function()));
        analytics.logRequestsOf(cdn.distribution());
        // CDK's own singleton that configures S3 event notifications at deploy time (not this app's code): it turns
        // on the originals bucket's EventBridge delivery
        NagSuppressions.addResourceSuppressionsByPath(this, "/" + id + "/BucketNotificationsHandler050a0587b7544547bf325f094a3db834/Role/Resource",
                List.of(NagPackSuppression.builder().id("AwsSolutions-IAM4").reason("the role of CDK's built-in"
                        + " BucketNotificationsHandler, which only runs during deployment to put the originals"
                        + " bucket's notification configuration (EventBridge on); CDK defines it with AWSLambdaBasicExecutionRole")
                        .build()));

        output("DistributionDomain", cdn.distribution().getDistributionDomainName());
        output("DistributionId", cdn.distribution().getDistributionId());
        output("ApiUrl", api.api().getUrl());
        output("OriginalsBucket", storage.originals().getBucketName());
        output("GeneratedBucket", storage.generated().getBucketName());
        output("TableName", storage.records().getTableName());
        output("UserPoolId", uploaders.pool().getUserPoolId());
        output("UserPoolClientId", uploaders.client().getUserPoolClientId());
        output("KeyGroupId", cdn.signers().getKeyGroupId());
        output("SignerKeyPairId", cdn.signerKey().getPublicKeyId());
        output("AlarmTopic", monitoring.alarms().getTopicArn());
        output("JobsQueueUrl", jobs.queue().queue().getQueueUrl());
        output("EventBusName", events.bus().getEventBusName());
        output("ResultSigningKeySecret", jobs.resultSigningKey().getSecretArn());
        output("AnalyticsLake", analytics.lake().getBucketName());
        output("AnalyticsWorkGroup", analytics.workgroup().getName());
    }

    /**
     * Deleting or flagging an image invalidates its variants. The function cannot get the distribution id
     * as an environment variable (the distribution depends on the API, which depends on the function), so
     * the id is published in SSM under a fixed name, and both grants sit in a policy outside the role's
     * default policy, which the function itself depends on.
     */
    private void grantInvalidation() {
        String parameterName = "/" + getStackName() + "/distribution-id";
        StringParameter id = new StringParameter(this, "DistributionIdParameter", StringParameterProps.builder()
                .parameterName(parameterName)
                .stringValue(cdn.distribution().getDistributionId())
                .description("CloudFront distribution of image-scaler, for invalidations by the handler")
                .build());
        api.function().addEnvironment("DISTRIBUTION_ID_PARAMETER", parameterName);
        new Policy(this, "HandlerInvalidation", PolicyProps.builder()
                .roles(List.of(api.function().getRole()))
                .statements(List.of(
                        Allow.statement(List.of("cloudfront:CreateInvalidation"), List.of(formatArn(
                                ArnComponents.builder().service("cloudfront").region("").resource("distribution")
                                        .resourceName(cdn.distribution().getDistributionId()).build()))),
                        Allow.statement(List.of("ssm:GetParameter"), List.of(id.getParameterArn()))))
                .build());
    }

    /**
     * {@code GET /v1/jobs/{id}} answers with signed links to the results, as the worker's email does: the API function
     * signs them with the same key. The distribution's domain reaches it through SSM (an environment variable would
     * close the cycle distribution → API → function), the key pair id and the key's secret directly; the grants sit
     * in a policy outside the role's default policy, as for invalidations.
     */
    private void grantResultLinks(DeploymentSettings settings) {
        String parameterName = "/" + getStackName() + "/result-url-base";
        StringParameter base = new StringParameter(this, "ResultUrlBaseParameter", StringParameterProps.builder()
                .parameterName(parameterName)
                .stringValue(cdn.resultUrlBase(settings))
                .description("Origin of image-scaler's signed links to job results (the CloudFront distribution)")
                .build());
        api.function().addEnvironment("RESULT_URL_BASE_PARAMETER", parameterName);
        api.function().addEnvironment("RESULT_KEY_PAIR_ID", cdn.signerKey().getPublicKeyId());
        api.function().addEnvironment("RESULT_SIGNING_KEY_SECRET", jobs.resultSigningKey().getSecretArn());
        api.function().addEnvironment("RESULT_URL_LIFETIME_SECONDS",
                Long.toString(software.amazon.awscdk.Duration.days(Storage.resultLifetimeDays(settings)).toSeconds().longValue()));
        new Policy(this, "HandlerResultLinks", PolicyProps.builder()
                .roles(List.of(api.function().getRole()))
                .statements(List.of(
                        Allow.statement(List.of("ssm:GetParameter"), List.of(base.getParameterArn())),
                        Allow.statement(List.of("secretsmanager:GetSecretValue"),
                                List.of(jobs.resultSigningKey().getSecretArn()))))
                .build());
    }

    private void output(String id, String value) {
        new CfnOutput(this, id, CfnOutputProps.builder().value(value).build());
    }

    public Storage storage() {
        return storage;
    }

    public ImageApi api() {
        return api;
    }

    public UploadProcessing uploadProcessing() {
        return uploadProcessing;
    }

    public Cdn cdn() {
        return cdn;
    }

    public EdgeSecurity security() {
        return security;
    }

    public Optional<SuperResolution> superResolution() {
        return sr;
    }

    public ServiceEvents events() {
        return events;
    }

    public Jobs jobs() {
        return jobs;
    }

    public Optional<KafkaIngest> kafka() {
        return kafka;
    }

    public OriginVerifyRotation rotation() {
        return rotation;
    }

    public Monitoring monitoring() {
        return monitoring;
    }

    public Analytics analytics() {
        return analytics;
    }
}
