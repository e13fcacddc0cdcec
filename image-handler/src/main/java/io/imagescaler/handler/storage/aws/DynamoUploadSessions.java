package io.imagescaler.handler.storage.aws;

import io.imagescaler.handler.storage.UploadSessions;
import io.imagescaler.spec.ImageId;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** {@link UploadSessions} in the records table: item {@code pk = upload#<id>} with a {@code ttl}. */
public final class DynamoUploadSessions implements UploadSessions {
    static final String PREFIX = "upload#";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    public DynamoUploadSessions(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public void create(Session s) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(DynamoImageRecords.PK, str(PREFIX + s.id().value()));
        item.put("kind", str("upload"));
        item.put("owner", str(s.owner()));
        item.put("uploadId", str(s.uploadId()));
        item.put("declaredBytes", num(s.declaredBytes()));
        item.put("partSize", num(s.partSize()));
        item.put("parts", num(s.parts()));
        item.put("state", str(s.state().name()));
        item.put(DynamoImageRecords.TTL, num(s.expiresAt().getEpochSecond()));
        s.webhook().ifPresent(w -> item.put("webhook", str(w.toString())));
        s.email().ifPresent(e -> item.put("email", str(e)));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    @Override
    public Optional<Session> get(ImageId id) {
        var item = dynamo.getItem(b -> b.tableName(table).key(key(id)).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        Instant expires = Instant.ofEpochSecond(Long.parseLong(item.get(DynamoImageRecords.TTL).n()));
        if (expires.isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(new Session(id, item.get("owner").s(), item.get("uploadId").s(),
                Long.parseLong(item.get("declaredBytes").n()), Long.parseLong(item.get("partSize").n()),
                Integer.parseInt(item.get("parts").n()), State.valueOf(item.get("state").s()), expires,
                Optional.ofNullable(item.get("webhook")).map(v -> java.net.URI.create(v.s())),
                Optional.ofNullable(item.get("email")).map(AttributeValue::s)));
    }

    @Override
    public boolean transition(ImageId id, State expected, State next) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(id))
                    .updateExpression("SET #state = :next")
                    .conditionExpression("#state = :expected")
                    .expressionAttributeNames(Map.of("#state", "state"))
                    .expressionAttributeValues(Map.of(":next", str(next.name()), ":expected", str(expected.name()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(ImageId id) {
        return Map.of(DynamoImageRecords.PK, str(PREFIX + id.value()));
    }

    private static AttributeValue str(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue num(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
