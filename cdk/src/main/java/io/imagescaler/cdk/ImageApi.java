package io.imagescaler.cdk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.apigateway.AuthorizationType;
import software.amazon.awscdk.services.apigateway.CognitoUserPoolsAuthorizer;
import software.amazon.awscdk.services.apigateway.CognitoUserPoolsAuthorizerProps;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LambdaIntegrationOptions;
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

    public ImageApi(Construct scope, String id, DeploymentSettings settings, Storage storage,
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
                .logGroup(new LogGroup(this, "HandlerLogs", LogGroupProps.builder()
                        .retention(RetentionDays.ONE_MONTH).build()))
                .build());
        // SnapStart snapshots only published versions; everything invokes the alias, never $LATEST
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "the alias below publishes a version (currentVersion) and is the only thing invoked");
        live = new Alias(this, "Live", AliasProps.builder()
                .aliasName("live")
                .version(function.getCurrentVersion())
                .build());

        grantLeastPrivilege(storage, security, sr);
        this.environment = Map.copyOf(env);

        api = new RestApi(this, "Api", RestApiProps.builder()
                .restApiName(Stack.of(this).getStackName() + "-api")
                .description("image-scaler API; reachable only through CloudFront (regional WAF checks X-Origin-Verify)")
                .endpointTypes(List.of(EndpointType.REGIONAL))
                // images travel as bytes both ways; the proxy integration base64-encodes them for Lambda
                .binaryMediaTypes(List.of("*/*"))
                .cloudWatchRole(false)
                .deployOptions(StageOptions.builder()
                        .stageName(STAGE)
                        .tracingEnabled(true)
                        .metricsEnabled(true)
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

        new CfnWebACLAssociation(this, "RegionalWaf", CfnWebACLAssociationProps.builder()
                .resourceArn(api.getDeploymentStage().getStageArn())
                .webAclArn(security.regionalAcl().getAttrArn())
                .build());
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
