package io.imagescaler.handler.storage.aws;

import io.imagescaler.handler.storage.IdempotencyKeys;
import io.imagescaler.spec.ImageId;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link IdempotencyKeys} in the image-records table: item {@code pk = idem#<key>} with the request hash,
 * the image id once known, and {@code ttl} so DynamoDB's TTL sweeps old keys. TTL deletion lags, so an
 * entry past its expiry counts as absent and may be claimed again.
 */
public final class DynamoIdempotencyKeys implements IdempotencyKeys {
    static final String PREFIX = "idem#";
    /** Epoch seconds after which an uncompleted claim belongs to a dead request. */
    static final String STALE_AT = "staleAt";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoIdempotencyKeys(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public boolean claim(String key, String requestHash, Instant expiresAt, Instant staleAt) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(DynamoImageRecords.PK, s(PREFIX + key), "kind", s("idempotency"),
                            "requestHash", s(requestHash), DynamoImageRecords.TTL, n(expiresAt.getEpochSecond()),
                            STALE_AT, n(staleAt.getEpochSecond())))
                    .conditionExpression("attribute_not_exists(#pk) OR #ttl < :now"
                            + " OR (attribute_not_exists(imageId) AND #stale < :now)")
                    .expressionAttributeNames(Map.of("#pk", DynamoImageRecords.PK, "#ttl", DynamoImageRecords.TTL,
                            "#stale", STALE_AT))
                    .expressionAttributeValues(Map.of(":now", n(clock.instant().getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean reclaim(String key, String requestHash, Instant expiresAt, Instant staleAt, ImageId unfinished) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(DynamoImageRecords.PK, s(PREFIX + key), "kind", s("idempotency"),
                            "requestHash", s(requestHash), DynamoImageRecords.TTL, n(expiresAt.getEpochSecond()),
                            STALE_AT, n(staleAt.getEpochSecond())))
                    .conditionExpression("imageId = :dead AND requestHash = :hash AND #stale < :now")
                    .expressionAttributeNames(Map.of("#stale", STALE_AT))
                    .expressionAttributeValues(Map.of(":dead", s(unfinished.value()), ":hash", s(requestHash),
                            ":now", n(clock.instant().getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<Entry> get(String key) {
        var item = dynamo.getItem(b -> b.tableName(table).key(Map.of(DynamoImageRecords.PK, s(PREFIX + key)))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()
                || Long.parseLong(item.get(DynamoImageRecords.TTL).n()) < clock.instant().getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(new Entry(item.get("requestHash").s(),
                Optional.ofNullable(item.get("imageId")).map(v -> new ImageId(v.s()))));
    }

    @Override
    public void complete(String key, ImageId id) {
        dynamo.updateItem(b -> b.tableName(table).key(Map.of(DynamoImageRecords.PK, s(PREFIX + key)))
                .updateExpression("SET imageId = :id")
                .expressionAttributeValues(Map.of(":id", s(id.value()))));
    }

    @Override
    public void release(String key) {
        dynamo.deleteItem(b -> b.tableName(table).key(Map.of(DynamoImageRecords.PK, s(PREFIX + key))));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
