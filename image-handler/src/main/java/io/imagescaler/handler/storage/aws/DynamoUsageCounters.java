package io.imagescaler.handler.storage.aws;

import io.imagescaler.handler.stats.Counter;
import io.imagescaler.handler.stats.DailyUsage;
import io.imagescaler.handler.stats.UsageCounters;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * {@link UsageCounters} in the image-records table: one item per day, {@code pk = stats#YYYY-MM-DD},
 * one number attribute per counter, incremented with UpdateItem {@code ADD} (atomic, creates the item
 * and the attribute on first use). The items carry no owner, so the owner index never sees them.
 */
public final class DynamoUsageCounters implements UsageCounters {
    static final String PREFIX = "stats#";
    /** BatchGetItem takes at most 100 keys per call. */
    private static final int BATCH = 100;

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoUsageCounters(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void add(LocalDate day, Map<Counter, Long> amounts) {
        if (amounts.isEmpty()) {
            return;
        }
        Map<String, String> names = new HashMap<>(Map.of("#kind", "kind"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":kind", AttributeValue.fromS("daily-stats")));
        List<String> adds = new ArrayList<>();
        amounts.forEach((counter, amount) -> {
            names.put("#" + counter.field(), counter.field());
            values.put(":" + counter.field(), AttributeValue.fromN(Long.toString(amount)));
            adds.add("#" + counter.field() + " :" + counter.field());
        });
        dynamo.updateItem(b -> b.tableName(table).key(key(day))
                .updateExpression("SET #kind = :kind ADD " + String.join(", ", adds))
                .expressionAttributeNames(names)
                .expressionAttributeValues(values));
    }

    @Override
    public List<DailyUsage> range(LocalDate from, LocalDate to) {
        Map<LocalDate, Map<Counter, Long>> found = new HashMap<>();
        List<LocalDate> days = from.datesUntil(to.plusDays(1)).toList();
        for (int i = 0; i < days.size(); i += BATCH) {
            List<Map<String, AttributeValue>> keys = days.subList(i, Math.min(days.size(), i + BATCH)).stream()
                    .map(DynamoUsageCounters::key).toList();
            Map<String, KeysAndAttributes> pending = Map.of(table,
                    KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            while (!pending.isEmpty()) {
                Map<String, KeysAndAttributes> request = pending;
                var response = dynamo.batchGetItem(b -> b.requestItems(request));
                for (Map<String, AttributeValue> item : response.responses().getOrDefault(table, List.of())) {
                    LocalDate day = LocalDate.parse(item.get(DynamoImageRecords.PK).s().substring(PREFIX.length()));
                    Map<Counter, Long> counts = new EnumMap<>(Counter.class);
                    for (Counter c : Counter.values()) {
                        AttributeValue v = item.get(c.field());
                        if (v != null) counts.put(c, Long.parseLong(v.n()));
                    }
                    found.put(day, counts);
                }
                pending = response.unprocessedKeys();
            }
        }
        return days.stream().map(d -> new DailyUsage(d, found.getOrDefault(d, Map.of()))).toList();
    }

    private static Map<String, AttributeValue> key(LocalDate day) {
        return Map.of(DynamoImageRecords.PK, AttributeValue.fromS(PREFIX + day));
    }
}
