package io.imagescaler.cdk;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigateway.AuthorizationType;
import software.amazon.awscdk.services.apigateway.CognitoUserPoolsAuthorizer;
import software.amazon.awscdk.services.apigateway.CognitoUserPoolsAuthorizerProps;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LambdaIntegrationOptions;
import software.amazon.awscdk.services.apigateway.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.MethodLoggingLevel;
import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.Resource;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.RestApiProps;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.AliasProps;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.FunctionProps;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogGroupProps;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.secretsmanager.RotationScheduleOptions;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretProps;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.wafv2.CfnWebACLAssociation;
import software.amazon.awscdk.services.wafv2.CfnWebACLAssociationProps;
import software.constructs.Construct;

/**
 * The image-handler Lambda and the REST API in front of it. The function's grants name the exact bucket
 * prefixes, table and index it touches, nothing wider.
 *
 * <p>Architecture: x86_64 by default, {@code -c arch=arm64} for Graviton (about 20% cheaper per
 * GB-second); the jar carries libvips for both, and only x86_64 has been run (here, not on AWS).
 */
public final class ImageApi extends Construct {
    public static final String HANDLER = "io.imagescaler.handler.lambda.ImageHandler::handleRequest";
    public static final String STAGE = "prod";

    private final Function function;
    private final Alias live;
    private final RestApi api;
    private final Map<String, String> environment;
    private final Secret webhookSecret;

    public ImageApi(Construct scope, String id, DeploymentSettings settings, RepoLayout repo, Storage storage,
                    EdgeSecurity security, Uploaders uploaders, Optional<SuperResolution> sr) {
        super(scope, id);

        if (!java.nio.file.Files.exists(settings.handlerAsset())) {
            throw new IllegalArgumentException("Lambda code not found: " + settings.handlerAsset()
                    + " - build it first (mvn -B -pl image-handler -am package -DskipTests)"
                    + " or point -c handlerAsset=... at it");
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ORIGINALS_BUCKET", storage.originals().getBucketName());
        env.put("GENERATED_BUCKET", storage.generated().getBucketName());
        env.put("TABLE_NAME", storage.records().getTableName());
        env.put("ORIGIN_VERIFY_SECRET_ARN", security.originVerify().getSecretArn());
        env.put("JWT_ISSUER", uploaders.issuer());
        env.put("JWT_AUDIENCE", uploaders.client().getUserPoolClientId());
        sr.ifPresent(s -> env.put("SR_ENDPOINT_NAME", s.endpointName()));
        env.putAll(UploadProcessing.sharedEnvironment(settings));
        // upload webhooks are signed with this key; the handler reads it from Secrets Manager at start
        webhookSecret = new Secret(this, "WebhookSecret", SecretProps.builder()
                .description("HMAC-SHA256 key of image-scaler's upload webhooks (X-ImageScaler-Signature)")
                .generateSecretString(SecretStringGenerator.builder().passwordLength(48).excludePunctuation(true).build())
                .build());
        env.put("WEBHOOK_SECRET_ARN", webhookSecret.getSecretArn());
        // libvips is copied out of the jar to /tmp (the only writable place) and opened during init, before
        // SnapStart's snapshot; FFM downcalls from the unnamed module are allowed without a warning
        env.put("JAVA_TOOL_OPTIONS", "--enable-native-access=ALL-UNNAMED -Djava.awt.headless=true");
        // one libvips worker: JPEG decoding is sequential, and a second thread rendered W1 in 49.0 ms instead of
        // 50.1 ms on 2 cores (bench.jar, 6 photos), so more memory (vCPU) than 1769 MB would buy nothing
        env.put("VIPS_CONCURRENCY", "1");

        LogGroup handlerLogs = new LogGroup(this, "HandlerLogs", LogGroupProps.builder()
                .retention(RetentionDays.ONE_MONTH).build());
        function = new Function(this, "Handler", FunctionProps.builder()
                .description("image-scaler: upload, metadata, variants, stats")
                .runtime(Runtime.JAVA_25)
                .architecture(settings.lambdaArchitecture())
                .handler(HANDLER)
                .code(Code.fromAsset(settings.handlerAsset().toString()))
                .memorySize(settings.handlerMemoryMb())
                .timeout(Duration.seconds(settings.handlerTimeoutSeconds()))
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .tracing(Tracing.ACTIVE)
                .environment(env)
                .logGroup(handlerLogs)
                .role(FunctionRole.writingTo(this, "HandlerRole", handlerLogs, "image-handler: its own logs plus the grants below"))
                .build());
        // SnapStart snapshots only published versions; everything invokes the alias, never $LATEST
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "the alias below publishes a version (currentVersion) and is the only thing invoked");
        live = new Alias(this, "Live", AliasProps.builder()
                .aliasName("live")
                .version(function.getCurrentVersion())
                .build());

        grantLeastPrivilege(storage, security, sr);
        rotateWebhookSecret(repo);
        NagSuppressions.addResourceSuppressions(function.getRole(), List.of(NagPackSuppression.builder().id("AwsSolutions-IAM5")
                .appliesTo(List.of("Resource::*", "Resource::<" + logicalId(storage.originals()) + ".Arn>/originals/*",
                        "Resource::<" + logicalId(storage.originals()) + ".Arn>/incoming/*",
                        "Resource::<" + logicalId(storage.originals()) + ".Arn>/quarantine/*",
                        "Resource::<" + logicalId(storage.generated()) + ".Arn>/*"))
                .reason("objects under a prefix: their keys are image ids minted at run time, so the prefix is the"
                        + " narrowest resource. '*' only where the action has no resource-level permissions"
                        + " (rekognition:DetectModerationLabels, X-Ray's PutTraceSegments/PutTelemetryRecords)")
                .build()), true);
        this.environment = Map.copyOf(env);

        api = new RestApi(this, "Api", RestApiProps.builder()
                .restApiName(Stack.of(this).getStackName() + "-api")
                .description("image-scaler API; reachable only through CloudFront (regional WAF checks X-Origin-Verify)")
                .endpointTypes(List.of(EndpointType.REGIONAL))
                // images travel as bytes both ways; the proxy integration base64-encodes them for Lambda
                .binaryMediaTypes(List.of("*/*"))
                // access and execution logs need the account's API Gateway CloudWatch role; kept when the stack
                // goes, because it is an account-wide setting other APIs may rely on
                .cloudWatchRole(true)
                .cloudWatchRoleRemovalPolicy(RemovalPolicy.RETAIN)
                .deployOptions(StageOptions.builder()
                        .stageName(STAGE)
                        .tracingEnabled(true)
                        .metricsEnabled(true)
                        // API Gateway writes access logs only to CloudWatch Logs or Firehose, not to S3
                        .accessLogDestination(new LogGroupLogDestination(new LogGroup(this, "ApiAccessLogs",
                                LogGroupProps.builder().retention(RetentionDays.THREE_MONTHS).build())))
                        .accessLogFormat(AccessLogFormat.jsonWithStandardFields())
                        // errors of every method; INFO would log every variant request twice (access log too)
                        .loggingLevel(MethodLoggingLevel.ERROR)
                        .dataTraceEnabled(false)
                        .throttlingRateLimit(1000)
                        .throttlingBurstLimit(2000)
                        .build())
                .build());

        LambdaIntegration proxy = new LambdaIntegration(live, LambdaIntegrationOptions.builder()
                .proxy(true)
                // one invoke permission for the whole API instead of one per method
                .scopePermissionToMethod(false)
                .timeout(Duration.seconds(29))
                .build());
        CognitoUserPoolsAuthorizer uploaderAuth = new CognitoUserPoolsAuthorizer(this, "UploaderAuth",
                CognitoUserPoolsAuthorizerProps.builder().cognitoUserPools(List.of(uploaders.pool())).build());
        MethodOptions uploader = MethodOptions.builder()
                .authorizationType(AuthorizationType.COGNITO).authorizer(uploaderAuth).build();
        // variants, originals and metadata are authorised at the edge (signed URL/cookie) or by the handler
        MethodOptions open = MethodOptions.builder().authorizationType(AuthorizationType.NONE).build();

        Resource v1 = api.getRoot().addResource("v1");
        Resource images = v1.addResource("images");
        images.addMethod("POST", proxy, uploader);
        Resource image = images.addResource("{id}");
        image.addMethod("DELETE", proxy, uploader);
        Resource imageSub = image.addResource("{proxy+}");
        imageSub.addMethod("GET", proxy, open);
        imageSub.addMethod("HEAD", proxy, open);
        Resource uploads = v1.addResource("uploads");
        uploads.addMethod("POST", proxy, uploader);
        uploads.addResource("{id}").addResource("complete").addMethod("POST", proxy, uploader);
        v1.addResource("stats").addMethod("GET", proxy, uploader);
        // asynchronous jobs (issue 15): the owner's token, checked here and by the handler
        image.addResource("jobs").addMethod("POST", proxy, uploader);
        v1.addResource("jobs").addResource("{jobId}").addMethod("GET", proxy, uploader);

        NagSuppressions.addResourceSuppressions(api, List.of(
                NagPackSuppression.builder().id("AwsSolutions-APIG2").reason("the handler validates every request"
                        + " itself (ids by pattern, transforms by a bounded grammar, bodies by their image header) and"
                        + " answers RFC 9457 problems; an API Gateway validator would duplicate it with another error"
                        + " shape").build(),
                NagPackSuppression.builder().id("AwsSolutions-APIG4").reason("variant, original and metadata GETs"
                        + " are authorised at CloudFront (signed URL or cookie) and by the handler (owner token for"
                        + " metadata); the regional WAF admits only requests carrying CloudFront's X-Origin-Verify"
                        + " secret. Uploads, deletes and stats use the Cognito authorizer").build(),
                NagPackSuppression.builder().id("AwsSolutions-COG4").reason("see AwsSolutions-APIG4: the open methods"
                        + " are the signed-URL reads; every write uses the Cognito user pool authorizer").build(),
                NagPackSuppression.builder().id("AwsSolutions-IAM4").appliesTo(List.of(
                        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"))
                        .reason("the account's API Gateway logging role, as AWS documents it: API Gateway itself"
                                + " assumes it to create and write the API's log groups").build()), true);

        new CfnWebACLAssociation(this, "RegionalWaf", CfnWebACLAssociationProps.builder()
                .resourceArn(api.getDeploymentStage().getStageArn())
                .webAclArn(security.regionalAcl().getAttrArn())
                .build());
    }

    /**
     * The webhook key rotates every 90 days (a new random key; receivers accept the AWSCURRENT and AWSPREVIOUS
     * versions, since running handlers keep the key they read at start).
     */
    private void rotateWebhookSecret(RepoLayout repo) {
        LogGroup logs = new LogGroup(this, "WebhookRotatorLogs", LogGroupProps.builder()
                .retention(RetentionDays.ONE_YEAR).build());
        Function rotator = new Function(this, "WebhookRotator", FunctionProps.builder()
                .description("rotates the upload-webhook HMAC key (a new random key)")
                .runtime(Runtime.PYTHON_3_14)
                .handler("webhook_secret_rotation.handler")
                .code(Code.fromAsset(repo.rotationCode().toString()))
                .timeout(Duration.seconds(30))
                .memorySize(256)
                .logGroup(logs)
                .role(FunctionRole.writingTo(this, "WebhookRotatorRole", logs,
                        "webhook key rotation: its own logs plus the secret's rotation grants"))
                .build());
        webhookSecret.addRotationSchedule("Rotation", RotationScheduleOptions.builder()
                .rotationLambda(rotator)
                .automaticallyAfter(Duration.days(90))
                .build());
        NagSuppressions.addResourceSuppressions(rotator.getRole(), List.of(NagPackSuppression.builder().id("AwsSolutions-IAM5")
                .appliesTo(List.of("Resource::*")).reason("secretsmanager:GetRandomPassword, which CDK grants a"
                        + " rotation function, has no resource-level permissions").build()), true);
    }

    private void grantLeastPrivilege(Storage storage, EdgeSecurity security, Optional<SuperResolution> sr) {
        String originals = storage.originals().getBucketArn();
        function.addToRolePolicy(Allow.statement(
                List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectAttributes"),
                List.of(originals + "/originals/*", originals + "/incoming/*", originals + "/quarantine/*")));
        // presigned multipart uploads are signed with this role, so it needs the multipart actions
        function.addToRolePolicy(Allow.statement(
                List.of("s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"),
                List.of(originals + "/incoming/*")));
        String generated = storage.generated().getBucketArn();
        function.addToRolePolicy(Allow.statement(
                List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"),
                List.of(generated + "/*")));
        // deleting an image removes every variant under {id}/, which needs a prefix listing
        function.addToRolePolicy(Allow.statement(List.of("s3:ListBucket"), List.of(generated)));
        String table = storage.records().getTableArn();
        function.addToRolePolicy(Allow.statement(
                List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
                        "dynamodb:Query", "dynamodb:ConditionCheckItem"),
                List.of(table, table + "/index/" + Storage.OWNER_INDEX)));
        function.addToRolePolicy(Allow.statement(List.of("secretsmanager:GetSecretValue"),
                List.of(security.originVerify().getSecretArn(), webhookSecret.getSecretArn())));
        // DetectModerationLabels has no resource-level permissions
        function.addToRolePolicy(Allow.statement(List.of("rekognition:DetectModerationLabels"), List.of("*")));
        sr.ifPresent(s -> function.addToRolePolicy(Allow.statement(List.of("sagemaker:InvokeEndpoint"),
                List.of(s.endpointArn()))));
    }

    /** A resource's CloudFormation logical id, as cdk-nag names resources in {@code appliesTo}. */
    static String logicalId(software.constructs.IConstruct c) {
        return Stack.of(c).resolve(((software.amazon.awscdk.CfnResource) c.getNode().getDefaultChild()).getLogicalId())
                .toString();
    }

    /** The handler's environment (the upload processor runs the same code with the same settings). */
    public Map<String, String> environment() {
        return environment;
    }

    /** The webhook signing key (both functions read it; uploaders get it from Secrets Manager). */
    public Secret webhookSecret() {
        return webhookSecret;
    }

    public Function function() {
        return function;
    }

    public Alias live() {
        return live;
    }

    public RestApi api() {
        return api;
    }
}
