package io.imagescaler.cdk;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.RuleProps;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.SqsQueue;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.FunctionProps;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSource;
import software.amazon.awscdk.services.lambda.eventsources.SqsEventSourceProps;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogGroupProps;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * Processing of large uploads: the same handler code as the API function, in a second function
 * configured for the job. The API function is capped at 29 s (API Gateway's limit) and needs no disk;
 * processing a multi-GB upload streams it to /tmp and may take minutes, so this one gets Lambda's
 * maximum timeout (15 min) and ephemeral storage (10 GB). Completed multipart uploads under {@code incoming/}
 * reach it as S3 -> EventBridge (default bus) -> SQS {@value #QUEUE_NAME} -> this function, so a failed
 * processing is retried and, after {@value #MAX_RECEIVE_COUNT} receives, kept in {@value #QUEUE_NAME}-dlq; a
 * second EventBridge rule sends it the scheduled event that runs the sweeper for uploads whose event was lost.
 * Both arrive at {@link #HANDLER}, which tells them apart.
 */
public final class UploadProcessing extends Construct {
    /** The processing function\'s memory floor (it handles the largest files, one at a time). */
    static final int PROCESSING_MEMORY_MB = 3008;
    /** Lambda's maximum /tmp; the object and the OpenCV natives unpacked there must fit. */
    public static final int EPHEMERAL_STORAGE_MIB = 10240;
    /** Largest upload accepted: what fits in {@link #EPHEMERAL_STORAGE_MIB} with room for the natives. */
    public static final long MAX_LARGE_UPLOAD_BYTES = 8L * 1024 * 1024 * 1024;
    public static final int TIMEOUT_SECONDS = 900;
    public static final Duration SWEEP_EVERY = Duration.minutes(10);
    /** Longer than {@link #TIMEOUT_SECONDS}: a sweep never overlaps a live processing of the same image. */
    public static final int SWEEP_AFTER_SECONDS = 1200;

    /** The SQS entry point: SQS batches (jobs or uploads, told apart by the body) and the scheduled sweep. */
    public static final String HANDLER = "io.imagescaler.handler.lambda.QueueHandler::handleRequest";
    public static final String QUEUE_NAME = "image-scaler-uploads";
    public static final int MAX_RECEIVE_COUNT = 3;

    private final Function function;
    private final Rule sweeper;
    private final WorkQueue uploads;
    private final Rule completedUploads;

    /** What both functions need to agree on (the API function validates what this one enforces). */
    static Map<String, String> sharedEnvironment(DeploymentSettings settings) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MAX_LARGE_UPLOAD_BYTES", Long.toString(MAX_LARGE_UPLOAD_BYTES));
        settings.mailFrom().ifPresent(m -> env.put("MAIL_FROM", m));
        // every function that renders encodes alike
        settings.webpEffort().ifPresent(e -> env.put("WEBP_EFFORT", Integer.toString(e)));
        settings.avifEffort().ifPresent(e -> env.put("AVIF_EFFORT", Integer.toString(e)));
        return env;
    }

    public UploadProcessing(Construct scope, String id, DeploymentSettings settings, Storage storage,
                            ImageApi api) {
        super(scope, id);
        Map<String, String> env = new LinkedHashMap<>(api.environment());
        env.put("PROCESSING_DIR", "/tmp/uploads");
        env.put("SWEEP_AFTER_SECONDS", Integer.toString(SWEEP_AFTER_SECONDS));

        LogGroup processorLogs = new LogGroup(this, "ProcessorLogs", LogGroupProps.builder()
                .retention(RetentionDays.ONE_MONTH).build());
        function = new Function(this, "Processor", FunctionProps.builder()
                .description("image-scaler: processes completed large uploads; sweeps lost completions")
                .runtime(Runtime.JAVA_25)
                .architecture(settings.lambdaArchitecture())
                .handler(HANDLER)
                .code(Code.fromAsset(settings.handlerAsset().toString()))
                // large uploads: a whole multi-GB file streamed to /tmp and decoded for moderation; at least 3008 MB
                .memorySize(Math.max(settings.handlerMemoryMb(), PROCESSING_MEMORY_MB))
                .timeout(Duration.seconds(TIMEOUT_SECONDS))
                .ephemeralStorageSize(Size.mebibytes(EPHEMERAL_STORAGE_MIB))
                // one large upload at a time per environment; a burst of uploads gets more environments
                .tracing(Tracing.ACTIVE)
                .environment(env)
                .logGroup(processorLogs)
                .role(FunctionRole.writingTo(this, "ProcessorRole", processorLogs,
                        "image-scaler upload processor: its own logs plus the grants below"))
                .build());
        grantLeastPrivilege(settings, storage);
        String originalsId = ImageApi.logicalId(storage.originals());
        NagSuppressions.addResourceSuppressions(function.getRole(), List.of(NagPackSuppression.builder().id("AwsSolutions-IAM5")
                .appliesTo(List.of("Resource::*", "Resource::<" + originalsId + ".Arn>/originals/*",
                        "Resource::<" + originalsId + ".Arn>/incoming/*", "Resource::<" + originalsId + ".Arn>/quarantine/*"))
                .reason("objects under a prefix: their keys are image ids minted at run time, so the prefix is the"
                        + " narrowest resource. '*' only where the action has no resource-level permissions"
                        + " (rekognition:DetectModerationLabels, X-Ray's PutTraceSegments/PutTelemetryRecords)")
                .build()), true);
        // webhooks are signed and sent from here
        function.addToRolePolicy(Allow.statement(List.of("secretsmanager:GetSecretValue"),
                List.of(api.webhookSecret().getSecretArn())));

        uploads = WorkQueue.create(this, "Uploads", QUEUE_NAME, MAX_RECEIVE_COUNT, WorkQueue.visibilityFor(TIMEOUT_SECONDS));
        // S3 sends "Object Created" for every write to the bucket (the bucket has EventBridge enabled); only the
        // multipart targets under incoming/ are uploads to process. The SqsQueue target writes the queue policy
        // that lets events.amazonaws.com send from this rule only.
        completedUploads = new Rule(this, "CompletedUploads", RuleProps.builder()
                .description("image-scaler: completed large uploads (incoming/) to the uploads queue")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.s3"))
                        .detailType(List.of("Object Created"))
                        .detail(Map.of(
                                "bucket", Map.of("name", List.of(storage.originals().getBucketName())),
                                "object", Map.of("key", List.of(Map.of("prefix", "incoming/")))))
                        .build())
                .targets(List.of(new SqsQueue(uploads.queue())))
                .build());
        // one upload per invocation: each may take minutes and most of /tmp
        function.addEventSource(new SqsEventSource(uploads.queue(), SqsEventSourceProps.builder()
                .batchSize(1)
                .reportBatchItemFailures(true)
                .build()));

        sweeper = new Rule(this, "Sweeper", RuleProps.builder()
                .description("image-scaler: finish large uploads whose ObjectCreated event was lost")
                .schedule(Schedule.rate(SWEEP_EVERY))
                .targets(List.of(new LambdaFunction(function)))
                .build());
    }

    private void grantLeastPrivilege(DeploymentSettings settings, Storage storage) {
        String originals = storage.originals().getBucketArn();
        // read the upload; copy it (server side) to originals/ or quarantine/; write a blurred master
        function.addToRolePolicy(Allow.statement(
                List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"),
                List.of(originals + "/originals/*", originals + "/incoming/*", originals + "/quarantine/*")));
        // uploads above 5 GB are copied part by part (UploadPartCopy), which may have to be abandoned
        function.addToRolePolicy(Allow.statement(
                List.of("s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"),
                List.of(originals + "/originals/*", originals + "/quarantine/*", originals + "/incoming/*")));
        String table = storage.records().getTableArn();
        // Scan: the sweeper's work list (a few times an hour, off the request path)
        function.addToRolePolicy(Allow.statement(
                List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
                        "dynamodb:Scan"),
                List.of(table)));
        // DetectModerationLabels has no resource-level permissions
        function.addToRolePolicy(Allow.statement(List.of("rekognition:DetectModerationLabels"), List.of("*")));
        settings.mailFrom().ifPresent(from -> function.addToRolePolicy(Allow.statement(
                List.of("ses:SendEmail"),
                List.of(Stack.of(this).formatArn(software.amazon.awscdk.ArnComponents.builder()
                        .service("ses").resource("identity").resourceName(from).build())))));
    }

    public Function function() {
        return function;
    }

    public Rule sweeper() {
        return sweeper;
    }

    /** The uploads queue and its dead-letter queue. */
    public WorkQueue uploads() {
        return uploads;
    }

    /** The default-bus rule from S3's "Object Created" under {@code incoming/} to the uploads queue. */
    public Rule completedUploads() {
        return completedUploads;
    }
}
