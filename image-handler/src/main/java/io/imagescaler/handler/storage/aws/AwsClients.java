package io.imagescaler.handler.storage.aws;

import io.imagescaler.handler.config.HandlerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import io.imagescaler.handler.tracing.RequestTelemetry;
import java.util.ArrayList;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Builds the SDK v2 clients from the configuration. Credentials and region are always explicit: static
 * keys against the local servers, the Lambda's environment credentials on AWS. The SDK's default chains
 * are never used, so nothing ever asks the EC2 metadata address.
 *
 * <p>Every client shares one time budget, so a failing dependency answers 503 well inside API Gateway's
 * 29 s: each attempt is cut at {@link #ATTEMPT_TIMEOUT}, a call (all its attempts, at most
 * {@link #MAX_ATTEMPTS}, with the SDK's standard jittered backoff) at {@link #CALL_TIMEOUT} (DynamoDB 2 s /
 * 5 s, S3 8 s / 12 s), and no call is started once it could end after the request's
 * {@link #REQUEST_DEADLINE}. Long server-side copies of large uploads override these per request. Work outside a request
 * (background counters, the sweeper, priming) has only the per-call bounds.
 */
public final class AwsClients implements AutoCloseable {
    private final S3Client s3;
    private final S3Presigner presigner;
    private final DynamoDbClient dynamo;
    private final Optional<RekognitionClient> rekognition;
    private final Optional<CloudFrontClient> cloudFront;
    private final Optional<SesV2Client> ses;
    private final SecretsManagerClient secretsManager;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final ClientOverrideConfiguration calls;
    private SageMakerRuntimeClient sageMakerRuntime;
    private software.amazon.awssdk.services.firehose.FirehoseClient firehose;
    private software.amazon.awssdk.services.athena.AthenaClient athena;
    private software.amazon.awssdk.services.sqs.SqsClient sqs;
    private software.amazon.awssdk.services.eventbridge.EventBridgeClient eventBridge;
    private SdkHttpClient http;

    public AwsClients(HandlerConfig config) {
        this(config, List.of());
    }

    /** @param interceptors added to every client (the tracing adapter's SDK subsegments) */
    /** One attempt of one SDK call (DynamoDB's are shorter, S3's longer: they carry whole images). */
    public static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(4);
    /** One SDK call, retries and backoff included. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(8);
    static final Duration DYNAMO_ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration DYNAMO_CALL_TIMEOUT = Duration.ofSeconds(5);
    static final Duration S3_ATTEMPT_TIMEOUT = Duration.ofSeconds(8);
    static final Duration S3_CALL_TIMEOUT = Duration.ofSeconds(12);
    /** Attempts per call (the SDK's standard strategy retries throttling, 5xx and I/O errors). */
    public static final int MAX_ATTEMPTS = 3;
    /** No SDK call may still run this long after its request began (API Gateway gives up at 29 s). */
    public static final Duration REQUEST_DEADLINE = Duration.ofSeconds(25);

    public AwsClients(HandlerConfig config, List<ExecutionInterceptor> interceptors) {
        ClientOverrideConfiguration calls = bounded(interceptors, ATTEMPT_TIMEOUT, CALL_TIMEOUT).build();
        this.calls = calls;
        Region region = Region.of(config.region());
        AwsCredentialsProvider credentials = config.endpoints()
                .<AwsCredentialsProvider>map(l -> StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(l.accessKey(), l.secretKey())))
                .orElseGet(EnvironmentVariableCredentialsProvider::create);
        SdkHttpClient http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(20))
                .build();
        this.http = http;
        S3Configuration s3Config = S3Configuration.builder()
                .pathStyleAccessEnabled(config.endpoints().isPresent())
                .build();
        var s3Builder = S3Client.builder().httpClient(http).region(region).credentialsProvider(credentials)
                .serviceConfiguration(s3Config)
                .overrideConfiguration(bounded(interceptors, S3_ATTEMPT_TIMEOUT, S3_CALL_TIMEOUT)
                        .addExecutionInterceptor(new NoExpectContinue()).build());
        var presignBuilder = S3Presigner.builder().region(region).credentialsProvider(credentials)
                .serviceConfiguration(s3Config);
        var dynamoBuilder = DynamoDbClient.builder().httpClient(http).region(region)
                .credentialsProvider(credentials)
                .overrideConfiguration(bounded(interceptors, DYNAMO_ATTEMPT_TIMEOUT, DYNAMO_CALL_TIMEOUT).build());
        config.endpoints().ifPresent(l -> {
            s3Builder.endpointOverride(l.s3());
            presignBuilder.endpointOverride(l.s3());
            dynamoBuilder.endpointOverride(l.dynamodb());
        });
        this.s3 = s3Builder.build();
        this.presigner = presignBuilder.build();
        this.dynamo = dynamoBuilder.build();
        this.region = region;
        this.credentials = credentials;
        // No local Secrets Manager: locally the origin secret comes from the environment instead.
        this.secretsManager = SecretsManagerClient.builder().httpClient(http).region(region)
                .credentialsProvider(credentials).overrideConfiguration(calls).build();
        // Moderation only where it is switched on; locally that means against the local protocol server.
        this.rekognition = config.moderation().enabled()
                ? Optional.of(rekognition(config, region, credentials, http, calls)) : Optional.empty();
        // CloudFront is a global service: its API lives in us-east-1 (aws-global) whatever the region.
        this.cloudFront = config.cdnDistributionId().map(d -> CloudFrontClient.builder().httpClient(http)
                .region(Region.AWS_GLOBAL).credentialsProvider(credentials).overrideConfiguration(calls).build());
        // SES only on AWS: locally the edge's own SMTP server stands in for it.
        this.ses = config.endpoints().isEmpty() && config.mailFrom().isPresent()
                ? Optional.of(SesV2Client.builder().httpClient(http).region(region).credentialsProvider(credentials)
                        .overrideConfiguration(calls).build())
                : Optional.empty();
    }

    /**
     * The bounds every client shares: per-attempt and per-call timeouts, a bounded standard retry
     * strategy, and the request deadline check, after the given interceptors (tracing).
     */
    public static ClientOverrideConfiguration.Builder bounded(List<ExecutionInterceptor> interceptors) {
        return bounded(interceptors, ATTEMPT_TIMEOUT, CALL_TIMEOUT);
    }

    static ClientOverrideConfiguration.Builder bounded(List<ExecutionInterceptor> interceptors, Duration attempt,
                                                       Duration call) {
        List<ExecutionInterceptor> all = new ArrayList<>(interceptors);
        all.add(new RequestDeadline(REQUEST_DEADLINE, call));
        return ClientOverrideConfiguration.builder()
                .executionInterceptors(all)
                .apiCallAttemptTimeout(attempt)
                .apiCallTimeout(call)
                .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS).build());
    }

    /**
     * Refuses to start an SDK call that could outlive the request's deadline: the request answers 503 now
     * instead of API Gateway answering 504 later. Outside a request nothing is refused.
     */
    record RequestDeadline(Duration deadline, Duration callTimeout) implements ExecutionInterceptor {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            RequestTelemetry.current().elapsed().ifPresent(elapsed -> {
                if (elapsed.plus(callTimeout).compareTo(deadline) > 0) {
                    throw SdkClientException.create("the request has run " + elapsed.toMillis() + " ms; a "
                            + "call now could end after its " + deadline.toSeconds() + " s deadline");
                }
            });
        }
    }

    /**
     * Drops S3's {@code Expect: 100-continue}. With it, the URL-connection client waits for the 100 inside
     * {@code getOutputStream}, and a pooled connection the server had closed fails there with an
     * {@code UncheckedIOException} that the SDK's retry does not see (a PUT then fails on its first attempt:
     * "Unexpected end of file from server", seen against S3Proxy); without it the same failure surfaces when the
     * answer is read, as the IOException the SDK retries. The cost: a refused PUT sends its body before the refusal.
     */
    static final class NoExpectContinue implements ExecutionInterceptor {
        @Override
        public software.amazon.awssdk.http.SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context,
                                                                          ExecutionAttributes attributes) {
            return context.httpRequest().toBuilder().removeHeader("Expect").build();
        }
    }

    private static RekognitionClient rekognition(HandlerConfig config, Region region,
                                                 AwsCredentialsProvider credentials, SdkHttpClient http,
                                                 ClientOverrideConfiguration calls) {
        var builder = RekognitionClient.builder().httpClient(http).region(region).credentialsProvider(credentials)
                .overrideConfiguration(calls);
        config.endpoints().flatMap(HandlerConfig.LocalEndpoints::rekognition).ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public S3Client s3() {
        return s3;
    }

    public S3Presigner presigner() {
        return presigner;
    }

    public DynamoDbClient dynamo() {
        return dynamo;
    }

    /** Built on first use: only deployments with an SR endpoint need it. */
    public synchronized SageMakerRuntimeClient sageMakerRuntime(Duration timeout) {
        if (sageMakerRuntime == null) {
            sageMakerRuntime = SageMakerRuntimeClient.builder().region(region).credentialsProvider(credentials)
                    .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
                            .socketTimeout(timeout).build())
                    // one attempt: a slow endpoint gets the Lanczos fallback rather than a second wait
                    .overrideConfiguration(calls.toBuilder().apiCallAttemptTimeout(timeout)
                            .apiCallTimeout(timeout.plusSeconds(1))
                            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(1).build())
                            .build())
                    .build();
        }
        return sageMakerRuntime;
    }

    /** Built on first use: only deployments with an analytics stream need it (AWS only, no local endpoint). */
    public synchronized software.amazon.awssdk.services.firehose.FirehoseClient firehose() {
        if (firehose == null) {
            firehose = software.amazon.awssdk.services.firehose.FirehoseClient.builder().httpClient(http)
                    .region(region).credentialsProvider(credentials).overrideConfiguration(calls).build();
        }
        return firehose;
    }

    /** Built on first use: reports from the lake on AWS. */
    public synchronized software.amazon.awssdk.services.athena.AthenaClient athena() {
        if (athena == null) {
            athena = software.amazon.awssdk.services.athena.AthenaClient.builder().httpClient(http)
                    .region(region).credentialsProvider(credentials).overrideConfiguration(calls).build();
        }
        return athena;
    }

    /**
     * Built on first use: the jobs queue (the API sends, the worker's messages come from Lambda's event source
     * mapping). {@code endpoint}: the local SQS protocol server; empty on AWS.
     */
    public synchronized software.amazon.awssdk.services.sqs.SqsClient sqs(Optional<java.net.URI> endpoint) {
        if (sqs == null) {
            var builder = software.amazon.awssdk.services.sqs.SqsClient.builder().httpClient(http).region(region)
                    .credentialsProvider(credentials).overrideConfiguration(calls);
            endpoint.ifPresent(builder::endpointOverride);
            sqs = builder.build();
        }
        return sqs;
    }

    /**
     * Built on first use: deployments that publish events (issue 15). {@code endpoint}: a local
     * EventBridge ({@code EVENTS_ENDPOINT}); empty on AWS.
     */
    public synchronized software.amazon.awssdk.services.eventbridge.EventBridgeClient eventBridge(
            Optional<java.net.URI> endpoint) {
        if (eventBridge == null) {
            var builder = software.amazon.awssdk.services.eventbridge.EventBridgeClient.builder().httpClient(http)
                    .region(region).credentialsProvider(credentials).overrideConfiguration(calls);
            endpoint.ifPresent(builder::endpointOverride);
            eventBridge = builder.build();
        }
        return eventBridge;
    }

    public SecretsManagerClient secretsManager() {
        return secretsManager;
    }

    /** Present when moderation is switched on. */
    public Optional<RekognitionClient> rekognition() {
        return rekognition;
    }

    /** Present on AWS when a sender address is configured. */
    public Optional<SesV2Client> ses() {
        return ses;
    }

    /** Present when a CloudFront distribution is configured. */
    public Optional<CloudFrontClient> cloudFront() {
        return cloudFront;
    }

    @Override
    public void close() {
        s3.close();
        presigner.close();
        dynamo.close();
        rekognition.ifPresent(RekognitionClient::close);
        cloudFront.ifPresent(CloudFrontClient::close);
        ses.ifPresent(SesV2Client::close);
        secretsManager.close();
        if (sageMakerRuntime != null) {
            sageMakerRuntime.close();
        }
        if (firehose != null) firehose.close();
        if (athena != null) athena.close();
        if (sqs != null) sqs.close();
        if (eventBridge != null) eventBridge.close();
    }
}
