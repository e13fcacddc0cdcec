package io.imagescaler.cdk;

import static io.imagescaler.cdk.ContextValues.require;
import static io.imagescaler.cdk.ContextValues.text;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.Stack;
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
import software.amazon.awscdk.SecretValue;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretProps;
import software.constructs.Construct;
import software.constructs.Node;

/**
 * Asynchronous jobs (issue 15): the API function sends {@code {"jobId": ...}} to the SQS queue
 * {@value #QUEUE_NAME}; a worker Lambda (the same jar, {@link UploadProcessing#HANDLER}) takes them a batch at a time
 * with a concurrency cap, reports the messages it could not finish as {@code batchItemFailures}, and after
 * {@link Settings#maxReceiveCount()} receives a message moves to {@value #QUEUE_NAME}-dlq. The worker renders
 * (super-resolution through the SR endpoint, no API Gateway 29 s limit here), writes results under
 * {@code processed/} in the generated bucket, signs CloudFront links to them with the signer key pair's private
 * key (a Secrets Manager secret the deployer fills), and delivers by SES and webhook.
 *
 * <p>Built after the distribution: the worker's {@code RESULT_URL_BASE} is the distribution's domain, while
 * nothing the distribution depends on (the API, its function) depends on the worker, so there is no cycle.
 */
public final class Jobs extends Construct {
    public static final String QUEUE_NAME = "image-scaler-jobs";
    public static final int TIMEOUT_SECONDS = 900;
    /** Room in /tmp for an SR result of the largest allowed output and its encoded copy. */
    public static final int EPHEMERAL_STORAGE_MIB = 4096;

    /**
     * The jobs' context values.
     *
     * @param maxReceiveCount           receives before a job message goes to the DLQ ({@code jobsMaxReceiveCount}, 3)
     * @param batchSize                 messages per worker invocation ({@code jobsBatchSize}, 1)
     * @param maxConcurrency            worker invocations at once ({@code jobsMaxConcurrency}, 2; SQS allows 2..1000)
     * @param resultSigningKeySecretArn complete ARN of an existing secret holding the signer's PEM private key
     *                                  ({@code resultSigningKeySecretArn}); empty = this stack creates one to fill
     */
    public record Settings(int maxReceiveCount, int batchSize, int maxConcurrency, Optional<String> resultSigningKeySecretArn) {
        public Settings {
            require(maxReceiveCount >= 1 && maxReceiveCount <= 1000, "jobsMaxReceiveCount must be 1..1000");
            require(batchSize >= 1 && batchSize <= 10, "jobsBatchSize must be 1..10 (a worker runs its batch in one"
                    + " invocation of at most 15 minutes)");
            require(maxConcurrency >= 2 && maxConcurrency <= 1000,
                    "jobsMaxConcurrency must be 2..1000 (the range of an SQS event source's maximum concurrency)");
            require(resultSigningKeySecretArn.map(a -> a.startsWith("arn:") && a.contains(":secretsmanager:")
                    && a.contains(":secret:")).orElse(true), "resultSigningKeySecretArn must be a Secrets Manager secret ARN");
        }

        static Settings fromContext(Node node) {
            return new Settings(
                    number(node, "jobsMaxReceiveCount", 3),
                    number(node, "jobsBatchSize", 1),
                    number(node, "jobsMaxConcurrency", 2),
                    text(node, "resultSigningKeySecretArn"));
        }

        private static int number(Node node, String key, int fallback) {
            return text(node, key).map(Integer::parseInt).orElse(fallback);
        }


    }

    private final WorkQueue jobs;
    private final Function worker;
    private final ISecret resultSigningKey;

    private final long stuckAfterSeconds;

    public Jobs(Construct scope, String id, DeploymentSettings settings, Settings jobSettings, Storage storage,
                ImageApi api, Cdn cdn, Optional<SuperResolution> sr, ServiceEvents events) {
        super(scope, id);
        jobs = WorkQueue.create(this, "Queue", QUEUE_NAME, jobSettings.maxReceiveCount(),
                WorkQueue.visibilityFor(TIMEOUT_SECONDS));
        stuckAfterSeconds = WorkQueue.visibilityFor(TIMEOUT_SECONDS).toSeconds().longValue() * jobSettings.maxReceiveCount();
        resultSigningKey = jobSettings.resultSigningKeySecretArn()
                .map(arn -> Secret.fromSecretCompleteArn(this, "ResultSigningKey", arn))
                .orElseGet(this::placeholderSigningKey);

        Map<String, String> env = new LinkedHashMap<>(api.environment());
        env.put("PROCESSING_DIR", "/tmp/jobs");
        // the attempt that reaches the redrive count marks a failing job FAILED before its message goes to the DLQ
        env.put("JOBS_MAX_RECEIVE_COUNT", Integer.toString(jobSettings.maxReceiveCount()));
        // a job waits for SR instead of taking Lanczos: SageMaker real-time's own invocation limit (60 s), not the
        // API's budget inside API Gateway's 29 s
        env.put("SR_TIMEOUT_MS", "60000");
        env.put("RESULT_URL_BASE", cdn.resultUrlBase(settings));
        env.put("RESULT_KEY_PAIR_ID", cdn.signerKey().getPublicKeyId());
        env.put("RESULT_SIGNING_KEY_SECRET", resultSigningKey.getSecretArn());
        env.put("RESULT_URL_LIFETIME_SECONDS", Long.toString(Duration.days(Storage.resultLifetimeDays(settings)).toSeconds().longValue()));

        LogGroup logs = new LogGroup(this, "WorkerLogs", LogGroupProps.builder()
                .retention(RetentionDays.ONE_MONTH).build());
        worker = new Function(this, "Worker", FunctionProps.builder()
                .description("image-scaler: runs queued jobs (SR upscales, derivatives) and delivers the results")
                .runtime(Runtime.JAVA_25)
                .architecture(settings.lambdaArchitecture())
                .handler(UploadProcessing.HANDLER)
                .code(Code.fromAsset(settings.handlerAsset().toString()))
                // a job may decode a large original and hold an SR output of up to the output-side limit
                .memorySize(Math.max(settings.handlerMemoryMb(), UploadProcessing.PROCESSING_MEMORY_MB))
                .timeout(Duration.seconds(TIMEOUT_SECONDS))
                .ephemeralStorageSize(Size.mebibytes(EPHEMERAL_STORAGE_MIB))
                .tracing(Tracing.ACTIVE)
                .environment(env)
                .logGroup(logs)
                .role(FunctionRole.writingTo(this, "WorkerRole", logs, "image-scaler job worker: its own logs plus the grants below"))
                .build());
        worker.addEventSource(new SqsEventSource(jobs.queue(), SqsEventSourceProps.builder()
                .batchSize(jobSettings.batchSize())
                .maxConcurrency(jobSettings.maxConcurrency())
                .reportBatchItemFailures(true)
                .build()));
        grantLeastPrivilege(settings, storage, api, sr);
        events.publishFrom(worker);

        // the API function submits jobs
        api.function().addEnvironment("JOBS_QUEUE_URL", jobs.queue().getQueueUrl());
        api.function().addToRolePolicy(Allow.statement(List.of("sqs:SendMessage"), List.of(jobs.queue().getQueueArn())));
    }

    /**
     * A secret the deployer fills with the PEM private key of the signer key pair (cdk/README.md). CloudFormation
     * cannot create a secret without a value, so it starts with a marker the handler refuses as a key.
     */
    private ISecret placeholderSigningKey() {
        Secret secret = new Secret(this, "ResultSigningKey", SecretProps.builder()
                .description("image-scaler: PEM private key of the CloudFront signer key pair (the public key is in the"
                        + " distribution's key group); the job worker signs result links with it. Fill it after deploying:"
                        + " aws secretsmanager put-secret-value --secret-id <arn> --secret-string file://signer-private.pem")
                .secretStringValue(SecretValue.unsafePlainText("NOT-SET: put the signer's PEM private key here"))
                .build());
        NagSuppressions.addResourceSuppressions(secret, List.of(NagPackSuppression.builder().id("AwsSolutions-SMG4")
                .reason("the private half of a CloudFront key pair: it is rotated by adding a new public key to the"
                        + " trusted key group and replacing this value (cdk/README.md), which Secrets Manager's rotation"
                        + " cannot do").build()));
        return secret;
    }

    private void grantLeastPrivilege(DeploymentSettings settings, Storage storage, ImageApi api, Optional<SuperResolution> sr) {
        String originals = storage.originals().getBucketArn();
        String generated = storage.generated().getBucketArn();
        worker.addToRolePolicy(Allow.statement(List.of("s3:GetObject"), List.of(originals + "/originals/*")));
        worker.addToRolePolicy(Allow.statement(List.of("s3:GetObject", "s3:PutObject"),
                List.of(generated + "/" + Storage.PROCESSED_PREFIX + "*")));
        // job records share the images' table (pk job#<id>); the worker reads the image's record and moves the job
        worker.addToRolePolicy(Allow.statement(List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"),
                List.of(storage.records().getTableArn())));
        worker.addToRolePolicy(Allow.statement(List.of("secretsmanager:GetSecretValue"),
                List.of(api.webhookSecret().getSecretArn(), resultSigningKey.getSecretArn())));
        sr.ifPresent(s -> worker.addToRolePolicy(Allow.statement(List.of("sagemaker:InvokeEndpoint"),
                List.of(s.endpointArn()))));
        settings.mailFrom().ifPresent(from -> worker.addToRolePolicy(Allow.statement(List.of("ses:SendEmail"),
                List.of(Stack.of(this).formatArn(ArnComponents.builder()
                        .service("ses").resource("identity").resourceName(from).build())))));
        String originalsId = ImageApi.logicalId(storage.originals());
        String generatedId = ImageApi.logicalId(storage.generated());
        NagSuppressions.addResourceSuppressions(worker.getRole(), List.of(NagPackSuppression.builder().id("AwsSolutions-IAM5")
                .appliesTo(List.of("Resource::*", "Resource::<" + originalsId + ".Arn>/originals/*",
                        "Resource::<" + generatedId + ".Arn>/" + Storage.PROCESSED_PREFIX + "*"))
                .reason("objects under a prefix: originals are keyed by image ids and results by job ids minted at run"
                        + " time, so the prefix is the narrowest resource. '*' only for X-Ray's PutTraceSegments and"
                        + " PutTelemetryRecords, which have no resource-level permissions")
                .build()), true);
    }

    /** The jobs queue and its dead-letter queue. */
    /**
     * How long a job may sit PROCESSING without a move before the scheduled sweep fails it: every attempt's
     * visibility timeout together (then no attempt can still run, and the message is in the DLQ).
     */
    public long stuckAfterSeconds() {
        return stuckAfterSeconds;
    }

    public WorkQueue queue() {
        return jobs;
    }

    public Function worker() {
        return worker;
    }

    /** The secret holding the PEM private key that signs result links. */
    public ISecret resultSigningKey() {
        return resultSigningKey;
    }
}
