package io.imagescaler.cdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.athena.CfnWorkGroup;
import software.amazon.awscdk.services.cloudfront.CfnDistribution;
import software.amazon.awscdk.services.cloudfront.Distribution;
import software.amazon.awscdk.services.glue.CfnDatabase;
import software.amazon.awscdk.services.glue.CfnTable;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.RoleProps;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesisfirehose.CfnDeliveryStream;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.BucketProps;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The analytics lake (issue 16): usage events from the handler through Amazon Data Firehose into an S3
 * bucket partitioned by UTC day ({@code events/dt=YYYY-MM-DD/}, gzipped JSON lines), a Glue database and
 * table over them (JSON SerDe, partition projection: no crawler, no MSCK), an Athena workgroup with its
 * result location and a per-query scan limit enforced, and CloudFront's standard logs in the same bucket
 * ({@code cloudfront/}, their own Glue table) for the hits the handler never sees. The handler's grants
 * name the stream, the workgroup, the catalog objects and the bucket prefixes, nothing wider.
 */
public final class Analytics extends Construct {
    public static final String EVENTS_TABLE = "events";
    public static final String CLOUDFRONT_TABLE = "cloudfront_logs";
    public static final String EVENTS_PREFIX = "events/";
    public static final String CLOUDFRONT_PREFIX = "cloudfront/";
    public static final String RESULTS_PREFIX = "athena-results/";
    public static final String ERRORS_PREFIX = "errors/";
    /** Partitions projected from this day on (the first deployment of the lake). */
    static final String FIRST_DAY = "2026-01-01";

    /**
     * @param retentionDays  raw events and CloudFront logs kept ({@code lakeRetentionDays}, default 400)
     * @param resultDays     Athena's result files kept ({@code athenaResultDays}, default 7)
     * @param scanLimitBytes the most one query may scan ({@code athenaScanLimitGb}, default 10 GB)
     */
    public record Settings(int retentionDays, int resultDays, long scanLimitBytes) {
        public Settings {
            if (retentionDays < 1) throw new IllegalArgumentException("cdk context: lakeRetentionDays must be at least 1");
            if (resultDays < 1) throw new IllegalArgumentException("cdk context: athenaResultDays must be at least 1");
            // Athena's own floor for a workgroup's data usage control is 10 MB.
            if (scanLimitBytes < 10L * 1024 * 1024) {
                throw new IllegalArgumentException("cdk context: athenaScanLimitGb must be at least 0.01");
            }
        }

        static Settings fromContext(software.constructs.Node node) {
            return new Settings(
                    number(node, "lakeRetentionDays", 400),
                    number(node, "athenaResultDays", 7),
                    Math.round(Double.parseDouble(String.valueOf(orDefault(node, "athenaScanLimitGb", "10")))
                            * 1024 * 1024 * 1024));
        }

        private static int number(software.constructs.Node node, String key, int fallback) {
            return Integer.parseInt(String.valueOf(orDefault(node, key, Integer.toString(fallback))));
        }

        private static Object orDefault(software.constructs.Node node, String key, String fallback) {
            Object v = node.tryGetContext(key);
            return v == null || v.toString().isBlank() ? fallback : v;
        }
    }

    private final Bucket lake;
    private final CfnDeliveryStream stream;
    private final CfnDatabase database;
    private final CfnTable events;
    private final CfnTable cloudFrontLogs;
    private final CfnWorkGroup workgroup;
    private final Settings settings;
    private final String databaseName;

    /** @param accessLogs where the lake's own S3 server access logs go (the stack's access-log bucket) */
    public Analytics(Construct scope, String id, DeploymentSettings deployment, RepoLayout repo, Bucket accessLogs) {
        super(scope, id);
        settings = Settings.fromContext(getNode());
        Stack stack = Stack.of(this);
        lake = new Bucket(this, "Lake", BucketProps.builder()
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                // CloudFront's standard logs are delivered with an ACL grant (awslogsdelivery): the bucket
                // must accept ACLs, owned by the bucket owner; public access stays blocked.
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_PREFERRED)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix("s3/lake/")
                .lifecycleRules(List.of(
                        LifecycleRule.builder().id("events-retention").prefix(EVENTS_PREFIX)
                                .expiration(Duration.days(settings.retentionDays())).build(),
                        LifecycleRule.builder().id("cloudfront-logs-retention").prefix(CLOUDFRONT_PREFIX)
                                .expiration(Duration.days(settings.retentionDays())).build(),
                        LifecycleRule.builder().id("athena-results").prefix(RESULTS_PREFIX)
                                .expiration(Duration.days(settings.resultDays())).build(),
                        LifecycleRule.builder().id("delivery-errors-30d").prefix(ERRORS_PREFIX)
                                .expiration(Duration.days(30)).build(),
                        LifecycleRule.builder().id("abort-multipart-1d")
                                .abortIncompleteMultipartUploadAfter(Duration.days(1)).build()))
                .removalPolicy(deployment.retainData() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .build());
        String bucket = lake.getBucketArn();
        // Glue and Athena names: lower case and underscores; one database per stack, so two stacks in an
        // account never share tables.
        databaseName = stack.getStackName().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_")
                + "_analytics";

        // Firehose writes as this role; the external id condition stops another account's stream from
        // being pointed at it (confused deputy).
        Role delivery = new Role(this, "DeliveryRole", RoleProps.builder()
                .assumedBy(new ServicePrincipal("firehose.amazonaws.com", software.amazon.awscdk.services.iam
                        .ServicePrincipalOpts.builder()
                        .conditions(Map.of("StringEquals", Map.of("sts:ExternalId", stack.getAccount())))
                        .build()))
                .description("Firehose delivery of image-scaler usage events into the lake bucket")
                .build());
        delivery.addToPolicy(Allow.statement(List.of("s3:GetBucketLocation", "s3:ListBucket",
                "s3:ListBucketMultipartUploads"), List.of(bucket)));
        delivery.addToPolicy(Allow.statement(List.of("s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"),
                List.of(bucket + "/" + EVENTS_PREFIX + "*", bucket + "/" + ERRORS_PREFIX + "*")));
        suppressPrefixWildcards(delivery, EVENTS_PREFIX, ERRORS_PREFIX);

        stream = new CfnDeliveryStream(this, "Events", software.amazon.awscdk.services.kinesisfirehose.CfnDeliveryStreamProps.builder()
                .deliveryStreamType("DirectPut")
                .deliveryStreamEncryptionConfigurationInput(CfnDeliveryStream.DeliveryStreamEncryptionConfigurationInputProperty
                        .builder().keyType("AWS_OWNED_CMK").build())
                .extendedS3DestinationConfiguration(CfnDeliveryStream.ExtendedS3DestinationConfigurationProperty.builder()
                        .bucketArn(bucket)
                        .roleArn(delivery.getRoleArn())
                        // the UTC day Firehose received the record (the event's own day but for the last
                        // seconds before midnight, which may land in the next day's partition)
                        .prefix(EVENTS_PREFIX + "dt=!{timestamp:yyyy-MM-dd}/")
                        .errorOutputPrefix(ERRORS_PREFIX + "!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/")
                        .bufferingHints(CfnDeliveryStream.BufferingHintsProperty.builder()
                                .intervalInSeconds(300).sizeInMBs(64).build())
                        .compressionFormat("GZIP")
                        .fileExtension(".json.gz")
                        .build())
                .build());
        stream.getNode().addDependency(delivery);

        database = new CfnDatabase(this, "Database", software.amazon.awscdk.services.glue.CfnDatabaseProps.builder()
                .catalogId(stack.getAccount())
                .databaseInput(CfnDatabase.DatabaseInputProperty.builder().name(databaseName)
                        .description("image-scaler usage events and CloudFront logs").build())
                .build());
        events = table("EventsTable", EVENTS_TABLE, "image-scaler usage events, one JSON object per line",
                EVENTS_PREFIX, eventColumns(repo.analyticsColumns()), "org.openx.data.jsonserde.JsonSerDe", Map.of(), Map.of("classification", "json"), true);
        cloudFrontLogs = table("CloudFrontLogsTable", CLOUDFRONT_TABLE,
                "CloudFront standard logs (W3C, tab-separated): the cache hits the handler never sees",
                CLOUDFRONT_PREFIX, cloudFrontColumns(), "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                Map.of("field.delim", "\t", "serialization.format", "\t"),
                Map.of("skip.header.line.count", "2", "classification", "csv"),
                // CloudFront names its files {distribution}.YYYY-MM-DD-HH.{id}.gz in one folder: no dt= partitions
                false);

        workgroup = new CfnWorkGroup(this, "WorkGroup", software.amazon.awscdk.services.athena.CfnWorkGroupProps.builder()
                .name(stack.getStackName() + "-analytics")
                .description("image-scaler usage reports (GET /v1/stats) and ad-hoc SQL over the lake")
                .state("ENABLED")
                // lets a stack delete remove the workgroup with its saved query history
                .recursiveDeleteOption(true)
                .workGroupConfiguration(CfnWorkGroup.WorkGroupConfigurationProperty.builder()
                        .enforceWorkGroupConfiguration(true)
                        .publishCloudWatchMetricsEnabled(true)
                        .bytesScannedCutoffPerQuery(settings.scanLimitBytes())
                        .engineVersion(CfnWorkGroup.EngineVersionProperty.builder()
                                .selectedEngineVersion("Athena engine version 3").build())
                        .resultConfiguration(CfnWorkGroup.ResultConfigurationProperty.builder()
                                .outputLocation("s3://" + lake.getBucketName() + "/" + RESULTS_PREFIX)
                                .encryptionConfiguration(CfnWorkGroup.EncryptionConfigurationProperty.builder()
                                        .encryptionOption("SSE_S3").build())
                                .build())
                        .build())
                .build());
    }

    private CfnTable table(String id, String name, String description, String prefix, List<CfnTable.ColumnProperty> columns,
                           String serde, Map<String, String> serdeParameters, Map<String, String> extra,
                           boolean partitionedByDay) {
        String location = "s3://" + lake.getBucketName() + "/" + prefix;
        Map<String, String> parameters = new LinkedHashMap<>(extra);
        parameters.put("EXTERNAL", "TRUE");
        if (partitionedByDay) {
            projectDays(parameters, location);
        }
        var input = CfnTable.TableInputProperty.builder()
                .name(name)
                .description(description)
                .tableType("EXTERNAL_TABLE")
                .parameters(parameters)
                .storageDescriptor(CfnTable.StorageDescriptorProperty.builder()
                        .location(location)
                        .columns(columns)
                        .inputFormat("org.apache.hadoop.mapred.TextInputFormat")
                        .outputFormat("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat")
                        .serdeInfo(CfnTable.SerdeInfoProperty.builder()
                                .serializationLibrary(serde).parameters(serdeParameters).build())
                        .build());
        if (partitionedByDay) {
            input.partitionKeys(List.of(column("dt", "string")));
        }
        CfnTable table = new CfnTable(this, id, software.amazon.awscdk.services.glue.CfnTableProps.builder()
                .catalogId(Stack.of(this).getAccount())
                .databaseName(databaseName)
                .tableInput(input.build())
                .build());
        table.addDependency(database);
        return table;
    }

    private static void projectDays(Map<String, String> parameters, String location) {
        // Partition projection: Athena computes the dt= partitions from the query's range, so no crawler
        // and no ALTER TABLE ADD PARTITION are ever needed.
        parameters.put("projection.enabled", "true");
        parameters.put("projection.dt.type", "date");
        parameters.put("projection.dt.format", "yyyy-MM-dd");
        parameters.put("projection.dt.range", FIRST_DAY + ",NOW");
        parameters.put("projection.dt.interval", "1");
        parameters.put("projection.dt.interval.unit", "DAYS");
        parameters.put("storage.location.template", location + "dt=${dt}/");
    }

    /**
     * The event columns, read from the handler's {@code analytics/events-columns.txt}: the same list types
     * the local edge's DuckDB view and names the keys the handler writes.
     */
    public static List<CfnTable.ColumnProperty> eventColumns(java.nio.file.Path file) {
        try {
            return java.nio.file.Files.readAllLines(file).stream()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .map(l -> l.split("\\s+"))
                    .map(parts -> column(parts[0], parts[1]))
                    .toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("the usage-events columns are not readable at " + file, e);
        }
    }

    /** AWS's documented columns of a CloudFront standard log line (the file's own date is its first column). */
    static List<CfnTable.ColumnProperty> cloudFrontColumns() {
        List<CfnTable.ColumnProperty> c = new ArrayList<>();
        String[][] columns = {{"log_date", "date"}, {"log_time", "string"}, {"x_edge_location", "string"},
                {"sc_bytes", "bigint"}, {"c_ip", "string"}, {"cs_method", "string"}, {"cs_host", "string"},
                {"cs_uri_stem", "string"}, {"sc_status", "int"}, {"cs_referer", "string"},
                {"cs_user_agent", "string"}, {"cs_uri_query", "string"}, {"cs_cookie", "string"},
                {"x_edge_result_type", "string"}, {"x_edge_request_id", "string"}, {"x_host_header", "string"},
                {"cs_protocol", "string"}, {"cs_bytes", "bigint"}, {"time_taken", "float"},
                {"x_forwarded_for", "string"}, {"ssl_protocol", "string"}, {"ssl_cipher", "string"},
                {"x_edge_response_result_type", "string"}, {"cs_protocol_version", "string"},
                {"fle_status", "string"}, {"fle_encrypted_fields", "int"}, {"c_port", "int"},
                {"time_to_first_byte", "float"}, {"x_edge_detailed_result_type", "string"},
                {"sc_content_type", "string"}, {"sc_content_len", "bigint"}, {"sc_range_start", "bigint"},
                {"sc_range_end", "bigint"}};
        for (String[] col : columns) c.add(column(col[0], col[1]));
        return c;
    }

    private static CfnTable.ColumnProperty column(String name, String type) {
        return CfnTable.ColumnProperty.builder().name(name).type(type).build();
    }

    /**
     * The handler's (and the upload processor's) side: put events on the stream; run the usage queries in
     * the workgroup, reading the catalog and the events, writing results under {@code athena-results/}.
     */
    public void grantReportsTo(Function function) {
        grantEventsTo(function);
        suppressPrefixWildcards(function.getRole(), EVENTS_PREFIX, RESULTS_PREFIX, CLOUDFRONT_PREFIX);
        Stack stack = Stack.of(this);
        String bucket = lake.getBucketArn();
        function.addEnvironment("ATHENA_WORKGROUP", workgroup.getName());
        function.addEnvironment("ATHENA_DATABASE", databaseName);
        function.addToRolePolicy(Allow.statement(List.of("athena:StartQueryExecution", "athena:GetQueryExecution",
                "athena:GetQueryResults", "athena:StopQueryExecution"), List.of(stack.formatArn(ArnComponents.builder()
                .service("athena").resource("workgroup").resourceName(workgroup.getName()).build()))));
        function.addToRolePolicy(Allow.statement(List.of("glue:GetDatabase", "glue:GetTable", "glue:GetPartition",
                "glue:GetPartitions"), List.of(
                stack.formatArn(ArnComponents.builder().service("glue").resource("catalog").build()),
                stack.formatArn(ArnComponents.builder().service("glue").resource("database").resourceName(databaseName).build()),
                stack.formatArn(ArnComponents.builder().service("glue").resource("table")
                        .resourceName(databaseName + "/" + EVENTS_TABLE).build()))));
        function.addToRolePolicy(Allow.statement(List.of("s3:GetBucketLocation", "s3:ListBucket"), List.of(bucket)));
        function.addToRolePolicy(Allow.statement(List.of("s3:GetObject"), List.of(bucket + "/" + EVENTS_PREFIX + "*")));
        function.addToRolePolicy(Allow.statement(List.of("s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload",
                "s3:ListMultipartUploadParts"), List.of(bucket + "/" + RESULTS_PREFIX + "*")));
    }

    /** A function that only writes events (PutRecordBatch on this one stream). */
    public void grantEventsTo(Function function) {
        function.addEnvironment("EVENTS_STREAM", stream.getRef());
        function.addToRolePolicy(Allow.statement(List.of("firehose:PutRecordBatch"), List.of(stream.getAttrArn())));
    }

    /** CloudFront's standard logs into the lake's {@code cloudfront/} prefix (set on the L1 distribution). */
    public void logRequestsOf(Distribution distribution) {
        CfnDistribution cfn = (CfnDistribution) distribution.getNode().getDefaultChild();
        cfn.addPropertyOverride("DistributionConfig.Logging", Map.of(
                "Bucket", lake.getBucketRegionalDomainName(),
                "Prefix", CLOUDFRONT_PREFIX,
                "IncludeCookies", false));
    }

    /**
     * cdk-nag IAM5 on the lake's prefixes: objects are named by Firehose (date partitions, random suffixes)
     * and by Athena (query ids) at run time, so the prefix is the narrowest resource.
     */
    private void suppressPrefixWildcards(software.amazon.awscdk.services.iam.IRole role, String... prefixes) {
        String lakeId = Stack.of(this).getLogicalId((software.amazon.awscdk.CfnElement) lake.getNode().getDefaultChild());
        List<String> resources = java.util.Arrays.stream(prefixes).map(p -> "Resource::<" + lakeId + ".Arn>/" + p + "*").toList();
        io.github.cdklabs.cdknag.NagSuppressions.addResourceSuppressions(role, List.of(
                io.github.cdklabs.cdknag.NagPackSuppression.builder().id("AwsSolutions-IAM5").appliesTo(resources)
                        .reason("objects under a lake prefix: Firehose names them by date partition and random suffix,"
                                + " Athena by query id, at run time; the prefix is the narrowest resource").build()), true);
    }

    public Bucket lake() {
        return lake;
    }

    public CfnDeliveryStream stream() {
        return stream;
    }

    public CfnTable events() {
        return events;
    }

    public CfnTable cloudFrontLogs() {
        return cloudFrontLogs;
    }

    public CfnWorkGroup workgroup() {
        return workgroup;
    }

    public CfnDatabase database() {
        return database;
    }

    public String databaseName() {
        return databaseName;
    }

    public Settings settings() {
        return settings;
    }
}
