package io.imagescaler.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/**
 * The analytics lake in the synthesized template (retention set to 90 days by context): Firehose into the
 * date-partitioned bucket, the Glue tables, the Athena workgroup, CloudFront's logs, and the grants, each
 * naming exactly its resource.
 */
class AnalyticsStackTest {
    static Synthesized synth;
    static TemplateJson t;
    static String handlerPolicy;

    @BeforeAll
    static void synthesize() {
        synth = Synthesized.with("analytics", Map.of("lakeRetentionDays", "90", "athenaScanLimitGb", "2"));
        t = TemplateJson.of(synth.template());
    }

    @Test
    void firehoseWritesGzippedJsonLinesPartitionedByDayIntoTheLake() {
        JsonNode stream = t.only("AWS::KinesisFirehose::DeliveryStream");
        assertEquals("DirectPut", stream.get("DeliveryStreamType").asText());
        assertEquals("AWS_OWNED_CMK", stream.at("/DeliveryStreamEncryptionConfigurationInput/KeyType").asText());
        JsonNode s3 = stream.get("ExtendedS3DestinationConfiguration");
        assertEquals("events/dt=!{timestamp:yyyy-MM-dd}/", s3.get("Prefix").asText());
        assertTrue(s3.get("ErrorOutputPrefix").asText().startsWith("errors/!{firehose:error-output-type}/"));
        assertEquals("GZIP", s3.get("CompressionFormat").asText());
        assertEquals(".json.gz", s3.get("FileExtension").asText());
        assertTrue(TemplateJson.references(s3.get("BucketARN"), lakeId()));
        assertTrue(s3.at("/BufferingHints/IntervalInSeconds").asInt() <= 900);
    }

    @Test
    void theDeliveryRoleWritesOnlyEventsAndErrorsAndOnlyForThisAccount() {
        String roleId = t.ofType("AWS::IAM::Role").entrySet().stream()
                .filter(e -> e.getValue().toString().contains("firehose.amazonaws.com")).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
        JsonNode trust = t.resources().get(roleId).at("/Properties/AssumeRolePolicyDocument/Statement/0");
        assertEquals("123456789012", trust.at("/Condition/StringEquals/sts:ExternalId").asText());
        List<JsonNode> statements = statementsOfRole(roleId);
        for (JsonNode st : statements) {
            String resources = st.get("Resource").toString();
            assertFalse(resources.contains("\"*\""), st.toString());
            if (actions(st).contains("s3:PutObject")) {
                assertTrue(resources.contains("/events/*") && resources.contains("/errors/*"), st.toString());
                assertFalse(resources.contains("athena-results"), st.toString());
                assertFalse(resources.contains("cloudfront/"), st.toString());
            }
        }
        assertTrue(statements.stream().anyMatch(st -> actions(st).contains("s3:PutObject")));
    }

    @Test
    void lakeBucketIsPrivateAndKeepsRawEventsForTheConfiguredRetention() {
        JsonNode p = t.resources().get(lakeId()).get("Properties");
        for (String f : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertTrue(p.at("/PublicAccessBlockConfiguration/" + f).asBoolean(), f);
        }
        assertEquals("AES256", p.at("/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm").asText());
        Map<String, JsonNode> rules = new HashMap<>();
        p.at("/LifecycleConfiguration/Rules").forEach(r -> rules.put(r.get("Id").asText(), r));
        assertEquals("events/", rules.get("events-retention").get("Prefix").asText());
        assertEquals(90, rules.get("events-retention").get("ExpirationInDays").asInt(), "context lakeRetentionDays");
        assertEquals(90, rules.get("cloudfront-logs-retention").get("ExpirationInDays").asInt());
        assertEquals("athena-results/", rules.get("athena-results").get("Prefix").asText());
        assertEquals(7, rules.get("athena-results").get("ExpirationInDays").asInt(), "processed results: 7 days");
    }

    @Test
    void retentionDefaultsTo400DaysAndIsValidated() {
        App app = new App(AppProps.builder().build());
        assertEquals(400, Analytics.Settings.fromContext(app.getNode()).retentionDays());
        assertEquals(7, Analytics.Settings.fromContext(app.getNode()).resultDays());
        assertThrows(IllegalArgumentException.class, () -> new Analytics.Settings(0, 7, 1L << 30));
    }

    @Test
    void glueTableReadsTheEventsAsJsonWithProjectedDayPartitions() throws Exception {
        JsonNode table = t.ofType("AWS::Glue::Table").values().stream()
                .filter(v -> v.at("/TableInput/Name").asText().equals("events")).findFirst().orElseThrow();
        JsonNode input = table.get("TableInput");
        assertTrue(table.get("DatabaseName").asText().matches("[a-z0-9_]+_analytics"), table.get("DatabaseName").toString());
        assertEquals("org.openx.data.jsonserde.JsonSerDe", input.at("/StorageDescriptor/SerdeInfo/SerializationLibrary").asText());
        assertEquals("dt", input.at("/PartitionKeys/0/Name").asText());
        assertEquals("string", input.at("/PartitionKeys/0/Type").asText());
        JsonNode params = input.get("Parameters");
        assertEquals("true", params.get("projection.enabled").asText());
        assertEquals("date", params.get("projection.dt.type").asText());
        assertEquals("yyyy-MM-dd", params.get("projection.dt.format").asText());
        assertTrue(params.get("storage.location.template").toString().contains("/events/dt=${dt}/"));
        assertTrue(input.at("/StorageDescriptor/Location").toString().contains("/events/"));
        // the columns are the handler's list, in order
        List<String> expected = new ArrayList<>();
        for (String line : Files.readAllLines(RepoLayout.discover().analyticsColumns())) {
            if (!line.isBlank() && !line.startsWith("#")) expected.add(line.strip().replaceAll("\\s+", " "));
        }
        List<String> columns = new ArrayList<>();
        input.at("/StorageDescriptor/Columns").forEach(c -> columns.add(c.get("Name").asText() + " " + c.get("Type").asText()));
        assertEquals(expected, columns);
        assertTrue(columns.contains("owner string") && columns.contains("bytes bigint"));
        // CloudFront's logs: their own table over cloudfront/ in the same database
        JsonNode logs = t.ofType("AWS::Glue::Table").values().stream()
                .filter(v -> v.at("/TableInput/Name").asText().equals("cloudfront_logs")).findFirst().orElseThrow();
        assertTrue(logs.at("/TableInput/StorageDescriptor/Location").toString().contains("/cloudfront/"));
        assertEquals("2", logs.at("/TableInput/Parameters/skip.header.line.count").asText());
        assertTrue(logs.at("/TableInput/PartitionKeys").isMissingNode(), "CloudFront writes no dt= folders");
        assertEquals(table.get("DatabaseName"), logs.get("DatabaseName"));
        assertEquals(table.get("DatabaseName").asText(),
                t.only("AWS::Glue::Database").at("/DatabaseInput/Name").asText());
    }

    @Test
    void athenaWorkgroupEnforcesItsResultLocationEncryptionAndScanLimit() {
        JsonNode wg = t.only("AWS::Athena::WorkGroup");
        JsonNode c = wg.get("WorkGroupConfiguration");
        assertTrue(c.get("EnforceWorkGroupConfiguration").asBoolean());
        assertEquals(2L * 1024 * 1024 * 1024, c.get("BytesScannedCutoffPerQuery").asLong(), "context athenaScanLimitGb");
        assertTrue(c.at("/ResultConfiguration/OutputLocation").toString().contains("/athena-results/"));
        assertTrue(TemplateJson.references(c.at("/ResultConfiguration/OutputLocation"), lakeId()));
        assertEquals("SSE_S3", c.at("/ResultConfiguration/EncryptionConfiguration/EncryptionOption").asText());
        assertEquals("Athena engine version 3", c.at("/EngineVersion/SelectedEngineVersion").asText());
    }

    @Test
    void cloudFrontStandardLogsLandInTheLake() {
        JsonNode logging = t.only("AWS::CloudFront::Distribution").at("/DistributionConfig/Logging");
        assertEquals("cloudfront/", logging.get("Prefix").asText());
        assertTrue(TemplateJson.references(logging.get("Bucket"), lakeId()));
        assertEquals("BucketOwnerPreferred", t.resources().get(lakeId())
                .at("/Properties/OwnershipControls/Rules/0/ObjectOwnership").asText());
    }

    @Test
    void theHandlerPutsEventsOnItsStreamAndQueriesOnlyItsWorkgroup() {
        String handlerRole = roleOf(synth.stack().api().function());
        List<JsonNode> statements = statementsOfRole(handlerRole);
        String streamId = t.onlyId("AWS::KinesisFirehose::DeliveryStream");
        String workgroupId = t.onlyId("AWS::Athena::WorkGroup");
        JsonNode put = only(statements, "firehose:PutRecordBatch");
        assertEquals(List.of("firehose:PutRecordBatch"), actions(put));
        assertTrue(TemplateJson.references(put.get("Resource"), streamId), put.toString());
        JsonNode athena = only(statements, "athena:StartQueryExecution");
        assertTrue(athena.get("Resource").toString().contains("workgroup/"), athena.toString());
        assertTrue(TemplateJson.references(athena.get("Resource"), workgroupId)
                || athena.get("Resource").toString().contains("-analytics"), athena.toString());
        JsonNode glue = only(statements, "glue:GetTable");
        assertTrue(glue.get("Resource").toString().contains("table/"), glue.toString());
        assertFalse(glue.get("Resource").toString().contains("cloudfront_logs"));
        for (JsonNode st : statements) {
            String resources = st.get("Resource").toString();
            if (resources.contains(lakeId())) {
                // events are read, results written: never a write to events/ or any read of cloudfront/
                if (actions(st).contains("s3:PutObject")) assertTrue(resources.contains("/athena-results/*"), st.toString());
                assertFalse(resources.contains("cloudfront/"), st.toString());
                assertFalse(actions(st).contains("s3:DeleteObject"), st.toString());
            }
        }
        JsonNode env = t.resources().get(LogicalIds.logicalId(synth, synth.stack().api().function()))
                .at("/Properties/Environment/Variables");
        assertTrue(TemplateJson.references(env.get("EVENTS_STREAM"), streamId));
        assertTrue(env.has("ATHENA_WORKGROUP") && env.has("ATHENA_DATABASE"));
        // the upload processor writes multipart upload events; it runs no reports
        String processorRole = roleOf(synth.stack().uploadProcessing().function());
        List<JsonNode> processor = statementsOfRole(processorRole);
        assertTrue(processor.stream().anyMatch(st -> actions(st).contains("firehose:PutRecordBatch")));
        assertTrue(processor.stream().noneMatch(st -> actions(st).stream().anyMatch(a -> a.startsWith("athena:"))));
    }

    private String lakeId() {
        return LogicalIds.logicalId(synth, synth.stack().analytics().lake());
    }

    private String roleOf(software.amazon.awscdk.services.lambda.Function f) {
        return LogicalIds.logicalId(synth, f.getRole());
    }

    /** Every statement of every IAM policy attached to the role. */
    private List<JsonNode> statementsOfRole(String roleId) {
        List<JsonNode> out = new ArrayList<>();
        t.ofType("AWS::IAM::Policy").values().forEach(p -> {
            boolean attached = false;
            for (JsonNode r : p.path("Roles")) attached |= roleId.equals(r.path("Ref").asText());
            if (attached) p.at("/PolicyDocument/Statement").forEach(out::add);
        });
        return out;
    }

    private static JsonNode only(List<JsonNode> statements, String action) {
        List<JsonNode> found = statements.stream().filter(st -> actions(st).contains(action)).toList();
        assertEquals(1, found.size(), action + ": " + found);
        return found.getFirst();
    }

    private static List<String> actions(JsonNode statement) {
        JsonNode a = statement.get("Action");
        List<String> out = new ArrayList<>();
        if (a.isArray()) a.forEach(x -> out.add(x.asText()));
        else out.add(a.asText());
        return out;
    }
}
