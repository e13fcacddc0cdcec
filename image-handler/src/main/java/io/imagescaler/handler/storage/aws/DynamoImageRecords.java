package io.imagescaler.handler.storage.aws;

import io.imagescaler.handler.images.ImageRecord;
import io.imagescaler.handler.images.ImageStatus;
import io.imagescaler.handler.moderation.ModerationLabel;
import io.imagescaler.handler.moderation.ModerationVerdict;
import io.imagescaler.handler.storage.ImageRecords;
import io.imagescaler.spec.ImageId;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link ImageRecords} on DynamoDB. One item per image, partition key {@code pk} = the image id;
 * {@code owner}/{@code createdAt} feed the owner GSI; {@code ttl} (epoch seconds) is set only while a
 * record is provisional, so the table's TTL sweeps uploads that never completed.
 */
public final class DynamoImageRecords implements ImageRecords {
    public static final String PK = "pk";
    public static final String OWNER_INDEX = "owner-index";
    public static final String TTL = "ttl";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoImageRecords(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean createIfAbsent(ImageRecord r) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(r.id().value()));
        item.put("kind", s("image"));
        item.put("owner", s(r.owner()));
        item.put("status", s(r.status().name()));
        item.put("contentType", s(r.contentType()));
        item.put("width", n(r.width()));
        item.put("height", n(r.height()));
        item.put("frames", n(r.frames()));
        item.put("bytes", n(r.bytes()));
        item.put("sha256", s(r.sha256()));
        item.put("createdAt", s(r.createdAt().toString()));
        r.expiresAt().ifPresent(t -> item.put(TTL, n(t.getEpochSecond())));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<ImageRecord> get(ImageId id) {
        var item = dynamo.getItem(b -> b.tableName(table).key(Map.of(PK, s(id.value()))).consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        ImageRecord r = new ImageRecord(
                id,
                item.get("owner").s(),
                ImageStatus.valueOf(item.get("status").s()),
                item.get("contentType").s(),
                Integer.parseInt(item.get("width").n()),
                Integer.parseInt(item.get("height").n()),
                Integer.parseInt(item.get("frames").n()),
                Long.parseLong(item.get("bytes").n()),
                item.get("sha256").s(),
                Instant.parse(item.get("createdAt").s()),
                Optional.ofNullable(item.get(TTL)).map(v -> Instant.ofEpochSecond(Long.parseLong(v.n()))),
                Optional.ofNullable(item.get("moderation")).map(v -> verdictOf(v.m())),
                Optional.ofNullable(item.get("statusReason")).map(AttributeValue::s));
        // An expired provisional record may linger until TTL sweeps it: treat it as gone.
        if (r.expiresAt().filter(t -> t.isBefore(Instant.now())).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(r);
    }

    @Override
    public boolean transition(ImageId id, ImageStatus expected, ImageStatus next) {
        String update = (expected == ImageStatus.UPLOADING || expected == ImageStatus.STORING) && next != expected
                ? "SET #status = :next REMOVE #ttl" : "SET #status = :next";
        Map<String, String> names = new HashMap<>(Map.of("#status", "status", "#pk", PK));
        if (update.contains("#ttl")) names.put("#ttl", TTL);
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of(PK, s(id.value())))
                    .updateExpression(update)
                    .conditionExpression("attribute_exists(#pk) AND #status = :expected")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(Map.of(":next", s(next.name()), ":expected", s(expected.name()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean finish(ImageId id, ImageStatus expected, ImageStatus next, ModerationVerdict verdict,
                          String reason) {
        Map<String, String> names = new HashMap<>(Map.of("#status", "status", "#pk", PK, "#ttl", TTL,
                "#moderation", "moderation", "#reason", "statusReason"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":next", s(next.name()),
                ":expected", s(expected.name())));
        String update = "SET #status = :next";
        if (verdict != null) {
            update += ", #moderation = :moderation";
            values.put(":moderation", AttributeValue.fromM(itemOf(verdict)));
        } else {
            names.remove("#moderation");
        }
        if (reason != null) {
            update += ", #reason = :reason";
            values.put(":reason", s(reason));
        }
        update += " REMOVE #ttl" + (reason == null ? ", #reason" : "");
        String expression = update;
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of(PK, s(id.value())))
                    .updateExpression(expression)
                    .conditionExpression("attribute_exists(#pk) AND #status = :expected")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void describe(ImageId id, String contentType, int width, int height, int frames, long bytes,
                         String sha256) {
        dynamo.updateItem(b -> b.tableName(table).key(Map.of(PK, s(id.value())))
                .updateExpression("SET contentType = :t, width = :w, height = :h, frames = :f, #bytes = :b, "
                        + "sha256 = :s")
                .conditionExpression("attribute_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", PK, "#bytes", "bytes"))
                .expressionAttributeValues(Map.of(":t", s(contentType), ":w", n(width), ":h", n(height),
                        ":f", n(frames), ":b", n(bytes), ":s", s(sha256))));
    }

    static Map<String, AttributeValue> itemOf(ModerationVerdict v) {
        List<AttributeValue> labels = v.labels().stream().map(l -> AttributeValue.fromM(Map.of(
                "name", s(l.name()),
                "parentName", s(l.parentName()),
                "confidence", AttributeValue.fromN(Double.toString(l.confidence()))))).toList();
        return Map.of(
                "action", s(v.action().name()),
                "labels", AttributeValue.fromL(labels),
                "modelVersion", s(v.modelVersion()),
                "reason", s(v.reason()),
                "checkedAt", s(v.checkedAt().toString()));
    }

    static ModerationVerdict verdictOf(Map<String, AttributeValue> m) {
        List<ModerationLabel> labels = m.get("labels").l().stream().map(AttributeValue::m)
                .map(l -> new ModerationLabel(l.get("name").s(), l.get("parentName").s(),
                        Double.parseDouble(l.get("confidence").n())))
                .toList();
        return new ModerationVerdict(ModerationVerdict.Action.valueOf(m.get("action").s()), labels,
                m.get("modelVersion").s(), m.get("reason").s(), Instant.parse(m.get("checkedAt").s()));
    }

    @Override
    public void delete(ImageId id) {
        dynamo.deleteItem(b -> b.tableName(table).key(Map.of(PK, s(id.value()))));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    @Override
    public List<Unfinished> unfinished() {
        // A scan with a filter: the table holds few unfinished images at any time, and the sweeper
        // runs every few minutes off the request path. A sparse index would make this a query.
        var pages = dynamo.scanPaginator(b -> b.tableName(table)
                .filterExpression("#kind = :image AND #status IN (:storing, :uploading, :processing)")
                .projectionExpression("#pk, #status, createdAt, #ttl")
                .expressionAttributeNames(Map.of("#kind", "kind", "#status", "status", "#pk", PK, "#ttl", TTL))
                .expressionAttributeValues(Map.of(":image", s("image"), ":storing", s(ImageStatus.STORING.name()),
                        ":uploading", s(ImageStatus.UPLOADING.name()), ":processing", s(ImageStatus.PROCESSING.name()))));
        List<Unfinished> out = new java.util.ArrayList<>();
        for (var item : pages.items()) {
            out.add(new Unfinished(new ImageId(item.get(PK).s()), ImageStatus.valueOf(item.get("status").s()),
                    Instant.parse(item.get("createdAt").s()),
                    Optional.ofNullable(item.get(TTL)).map(v -> Instant.ofEpochSecond(Long.parseLong(v.n())))));
        }
        return out;
    }
}
