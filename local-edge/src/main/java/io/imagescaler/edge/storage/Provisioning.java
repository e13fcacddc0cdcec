package io.imagescaler.edge.storage;

import io.imagescaler.handler.config.HandlerConfig;
import io.imagescaler.handler.storage.aws.AwsClients;
import io.imagescaler.handler.storage.aws.DynamoImageRecords;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/** Creates the buckets and the table when missing, as the CDK app does on AWS. */
public final class Provisioning {
    private Provisioning() {
    }

    public static void ensure(HandlerConfig config, AwsClients aws) {
        for (String bucket : new String[] {config.originalsBucket(), config.generatedBucket()}) {
            try {
                aws.s3().headBucket(b -> b.bucket(bucket));
            } catch (NoSuchBucketException e) {
                try {
                    aws.s3().createBucket(b -> b.bucket(bucket));
                } catch (BucketAlreadyOwnedByYouException ignored) {
                    // created concurrently: fine
                }
            }
        }
        try {
            aws.dynamo().describeTable(b -> b.tableName(config.table()));
        } catch (ResourceNotFoundException e) {
            aws.dynamo().createTable(b -> b.tableName(config.table())
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            a -> a.attributeName(DynamoImageRecords.PK).attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("owner").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("createdAt").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName(DynamoImageRecords.PK).keyType(KeyType.HASH))
                    .globalSecondaryIndexes(g -> g.indexName(DynamoImageRecords.OWNER_INDEX)
                            .keySchema(k -> k.attributeName("owner").keyType(KeyType.HASH),
                                    k -> k.attributeName("createdAt").keyType(KeyType.RANGE))
                            .projection(p -> p.projectionType(ProjectionType.ALL))));
            aws.dynamo().waiter().waitUntilTableExists(b -> b.tableName(config.table()));
        }
    }
}
