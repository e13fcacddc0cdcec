package io.imagescaler.cdk;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.dynamodb.TableProps;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.BucketProps;
import software.amazon.awscdk.services.s3.CorsRule;
import software.amazon.awscdk.services.s3.HttpMethods;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * Where images and records live: the originals bucket ({@code originals/}, {@code incoming/},
 * {@code quarantine/}), the generated-variants bucket ({@code {id}/{canonical}.{fmt}}, expiring, and job results
 * under {@code processed/}), and the
 * {@code image-records} table; and the access-log bucket that the two buckets, CloudFront and (through Cdn)
 * the distribution write their access logs to.
 */
public final class Storage extends Construct {
    public static final String OWNER_INDEX = "owner-index";

    /** How long access logs are kept: long enough to answer an abuse report or a bill, then gone. */
    public static final int ACCESS_LOG_DAYS = 90;

    /** Where job results go in the generated bucket: {@code processed/{jobId}/{n}-{transform}.{fmt}}. */
    public static final String PROCESSED_PREFIX = "processed/";
    /** How long job results (and the signed links to them) live, unless variants expire sooner. */
    public static final int RESULT_LIFETIME_DAYS = 7;

    /**
     * The days a job result lives: {@link #RESULT_LIFETIME_DAYS}, or fewer when {@code generatedExpiryDays} is
     * shorter, because the variants' rule covers the whole bucket (S3 lifecycle filters cannot leave a prefix out)
     * and a result link must never outlive its object.
     */
    public static int resultLifetimeDays(DeploymentSettings settings) {
        return Math.min(RESULT_LIFETIME_DAYS, settings.generatedExpiryDays());
    }

    private final Bucket logs;
    private final Bucket originals;
    private final Bucket generated;
    private final Table records;

    public Storage(Construct scope, String id, DeploymentSettings settings) {
        super(scope, id);
        RemovalPolicy removal = settings.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

        // S3 server access logs (originals/, generated/) and CloudFront standard logs (cloudfront/). CloudFront's
        // standard logging writes with an ACL grant, so this one bucket keeps ACLs (owner preferred); SSE-S3,
        // because CloudFront cannot write to a KMS-encrypted log bucket.
        logs = new Bucket(this, "AccessLogs", BucketProps.builder()
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED)
                .lifecycleRules(List.of(LifecycleRule.builder().id("access-logs-" + ACCESS_LOG_DAYS + "d")
                        .expiration(Duration.days(ACCESS_LOG_DAYS)).build()))
                .removalPolicy(removal)
                .autoDeleteObjects(!settings.retainData())
                .build());
        NagSuppressions.addResourceSuppressions(logs, List.of(NagPackSuppression.builder().id("AwsSolutions-S1")
                .reason("this is the access-log bucket; logging its own reads into itself would log the log writes")
                .build()));

        originals = new Bucket(this, "Originals", BucketProps.builder()
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                // a master overwritten by moderation (blurred copy) or deleted by mistake stays recoverable
                .versioned(true)
                .lifecycleRules(List.of(
                        // multipart targets: processing moves them to originals/ within minutes
                        LifecycleRule.builder().id("incoming-2d").prefix("incoming/")
                                .expiration(Duration.days(2)).noncurrentVersionExpiration(Duration.days(1)).build(),
                        // unblurred copies of flagged images: kept for an appeal, then gone
                        LifecycleRule.builder().id("quarantine-30d").prefix("quarantine/")
                                .expiration(Duration.days(30)).noncurrentVersionExpiration(Duration.days(1)).build(),
                        LifecycleRule.builder().id("abort-multipart-1d")
                                .abortIncompleteMultipartUploadAfter(Duration.days(1)).build(),
                        LifecycleRule.builder().id("noncurrent-30d")
                                .noncurrentVersionExpiration(Duration.days(30)).expiredObjectDeleteMarker(true).build()))
                // browsers PUT multipart parts straight to presigned URLs and need the ETag back to complete;
                // the presigned signature authorizes a part, CORS only lets a page read the answer. The local
                // edge's S3 has the same rule (local-edge UploadCors).
                .cors(List.of(CorsRule.builder()
                        .allowedMethods(List.of(HttpMethods.PUT))
                        .allowedOrigins(List.of("*"))
                        .allowedHeaders(List.of("Content-Type"))
                        .exposedHeaders(List.of("ETag"))
                        .maxAge(3600)
                        .build()))
                .serverAccessLogsBucket(logs)
                .serverAccessLogsPrefix("s3/originals/")
                // completed multipart uploads reach the processor as S3 -> EventBridge -> SQS (UploadProcessing),
                // which retries and keeps what failed in a dead-letter queue; a direct notification did neither
                .eventBridgeEnabled(true)
                .removalPolicy(removal)
                .build());

        generated = new Bucket(this, "Generated", BucketProps.builder()
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .lifecycleRules(List.of(
                        // variants are a cache: anything not re-rendered within the window is re-rendered on demand
                        LifecycleRule.builder().id("variants-expire")
                                .expiration(Duration.days(settings.generatedExpiryDays())).build(),
                        // job results: their signed links live as long (RESULT_URL_LIFETIME_SECONDS)
                        LifecycleRule.builder().id("processed-" + resultLifetimeDays(settings) + "d").prefix(PROCESSED_PREFIX)
                                .expiration(Duration.days(resultLifetimeDays(settings))).build(),
                        LifecycleRule.builder().id("abort-multipart-1d")
                                .abortIncompleteMultipartUploadAfter(Duration.days(1)).build()))
                .serverAccessLogsBucket(logs)
                .serverAccessLogsPrefix("s3/generated/")
                // a cache can always be rebuilt, so it never blocks a teardown
                .removalPolicy(RemovalPolicy.DESTROY)
                .autoDeleteObjects(true)
                .build());

        records = new Table(this, "Records", TableProps.builder()
                .tableName(settings.tableName())
                // "pk", as the handler writes it (DynamoImageRecords.PK): records, upload sessions,
                // idempotency keys and daily counters share the table under prefixed keys
                .partitionKey(Attribute.builder().name("pk").type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .encryption(TableEncryption.DEFAULT)
                .timeToLiveAttribute("ttl")
                .removalPolicy(removal)
                .build());
        records.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                .indexName(OWNER_INDEX)
                .partitionKey(Attribute.builder().name("owner").type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name("createdAt").type(AttributeType.STRING).build())
                .projectionType(ProjectionType.ALL)
                .build());
    }

    /** Access logs of the buckets and the distribution, expired after {@link #ACCESS_LOG_DAYS}. */
    public Bucket logs() {
        return logs;
    }

    public Bucket originals() {
        return originals;
    }

    public Bucket generated() {
        return generated;
    }

    public Table records() {
        return records;
    }
}
