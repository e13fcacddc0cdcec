package io.imagescaler.handler.jobs.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.handler.jobs.Job;
import io.imagescaler.handler.jobs.JobStatus;
import io.imagescaler.handler.jobs.Jobs;
import io.imagescaler.spec.ImageId;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@link Jobs} in the image table: one item per job, {@code pk = job#<id>}, {@code kind = job}; results and
 * deliveries as JSON strings (read whole, never queried). The table's TTL removes a job's record
 * {@link #KEPT} after it was created (its results expire after 7 days).
 */
public final class DynamoJobs implements Jobs {
    static final String PK = "pk";
    static final Duration KEPT = Duration.ofDays(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoJobs(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean create(Job job) {
        try {
            dynamo.putItem(b -> b.tableName(table).item(item(job)).conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<Job> get(String id) {
        var item = dynamo.getItem(b -> b.tableName(table).key(Map.of(PK, s("job#" + id))).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(job(item));
    }

    @Override
    public boolean replace(Job next, Set<JobStatus> expected) {
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> names = new ArrayList<>();
        int i = 0;
        for (JobStatus status : expected) {
            values.put(":s" + i, s(status.name()));
            names.add(":s" + i++);
        }
        try {
            dynamo.putItem(b -> b.tableName(table).item(item(next))
                    .conditionExpression("attribute_exists(#pk) AND #status IN (" + String.join(", ", names) + ")")
                    .expressionAttributeNames(Map.of("#pk", PK, "#status", "status"))
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public List<Job> processingSince(Instant updatedBefore) {
        var pages = dynamo.scanPaginator(b -> b.tableName(table)
                .filterExpression("#kind = :job AND #status = :processing")
                .expressionAttributeNames(Map.of("#kind", "kind", "#status", "status"))
                .expressionAttributeValues(Map.of(":job", s("job"), ":processing", s(JobStatus.PROCESSING.name()))));
        List<Job> out = new ArrayList<>();
        for (var item : pages.items()) {
            Job job = job(item);
            if (job.updatedAt().isBefore(updatedBefore)) {
                out.add(job);
            }
        }
        return out;
    }

    @Override
    public void delete(String id) {
        dynamo.deleteItem(b -> b.tableName(table).key(Map.of(PK, s("job#" + id))));
    }

    private static Map<String, AttributeValue> item(Job job) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s("job#" + job.id()));
        item.put("kind", s("job"));
        item.put("jobId", s(job.id()));
        item.put("imageId", s(job.imageId().value()));
        item.put("owner", s(job.owner()));
        item.put("status", s(job.status().name()));
        job.reason().ifPresent(r -> item.put("reason", s(r)));
        item.put("transforms", AttributeValue.fromL(job.transforms().stream().map(DynamoJobs::s).toList()));
        job.email().ifPresent(e -> item.put("email", s(e)));
        job.webhook().ifPresent(w -> item.put("webhook", s(w.toString())));
        item.put("attempts", AttributeValue.fromN(Integer.toString(job.attempts())));
        item.put("results", s(json(job.results())));
        item.put("deliveries", s(json(job.deliveries().stream().map(StoredDelivery::of).toList())));
        item.put("createdAt", s(job.createdAt().toString()));
        item.put("updatedAt", s(job.updatedAt().toString()));
        item.put("ttl", AttributeValue.fromN(Long.toString(job.createdAt().plus(KEPT).getEpochSecond())));
        return item;
    }

    private static Job job(Map<String, AttributeValue> item) {
        try {
            List<Job.Result> results = JSON.readValue(item.get("results").s(), new TypeReference<>() { });
            List<StoredDelivery> deliveries = JSON.readValue(item.get("deliveries").s(), new TypeReference<>() { });
            return new Job(item.get("jobId").s(), new ImageId(item.get("imageId").s()), item.get("owner").s(),
                    item.get("transforms").l().stream().map(AttributeValue::s).toList(),
                    Optional.ofNullable(item.get("email")).map(AttributeValue::s),
                    Optional.ofNullable(item.get("webhook")).map(v -> URI.create(v.s())),
                    JobStatus.valueOf(item.get("status").s()),
                    Optional.ofNullable(item.get("reason")).map(AttributeValue::s),
                    Integer.parseInt(item.get("attempts").n()), results,
                    deliveries.stream().map(StoredDelivery::delivery).toList(),
                    Instant.parse(item.get("createdAt").s()), Instant.parse(item.get("updatedAt").s()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("job item " + item.get(PK).s() + " is not readable", e);
        }
    }

    /** {@link Job.Delivery} with its optional reason as a plain (nullable) field for JSON. */
    record StoredDelivery(String channel, boolean delivered, String reason, int attempts) {
        static StoredDelivery of(Job.Delivery d) {
            return new StoredDelivery(d.channel(), d.delivered(), d.reason().orElse(null), d.attempts());
        }

        Job.Delivery delivery() {
            return new Job.Delivery(channel, delivered, Optional.ofNullable(reason), attempts);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
