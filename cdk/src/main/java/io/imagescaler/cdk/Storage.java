package io.imagescaler.cdk;

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
 * {@code quarantine/}), the generated-variants bucket ({@code {id}/{canonical}.{fmt}}, expiring), and the
 * {@code image-records} table.
 */
public final class Storage extends Construct {
    public static final String OWNER_INDEX = "owner-index";

    private final Bucket originals;
    private final Bucket generated;
    private final Table records;

    public Storage(Construct scope, String id, DeploymentSettings settings) {
        super(scope, id);
        RemovalPolicy removal = settings.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

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
                        LifecycleRule.builder().id("abort-multipart-1d")
                                .abortIncompleteMultipartUploadAfter(Duration.days(1)).build()))
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
