package io.imagescaler.handler.storage.aws;

import io.imagescaler.handler.config.HandlerConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
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
    private SdkHttpClient http;

    public AwsClients(HandlerConfig config) {
        this(config, List.of());
    }

    /** @param interceptors added to every client (the tracing adapter's SDK subsegments) */
    public AwsClients(HandlerConfig config, List<ExecutionInterceptor> interceptors) {
        ClientOverrideConfiguration calls = ClientOverrideConfiguration.builder()
                .executionInterceptors(interceptors).build();
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
                .serviceConfiguration(s3Config).overrideConfiguration(calls);
        var presignBuilder = S3Presigner.builder().region(region).credentialsProvider(credentials)
                .serviceConfiguration(s3Config);
        var dynamoBuilder = DynamoDbClient.builder().httpClient(http).region(region)
                .credentialsProvider(credentials).overrideConfiguration(calls);
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
                    .overrideConfiguration(calls)
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
    }
}
