package io.imagescaler.cdk;

import static io.imagescaler.cdk.ImageScalerStackTest.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.constructs.IConstruct;

/**
 * Issue 15 in the template: the jobs queue and its worker, the uploads path S3 -> EventBridge -> SQS -> processor,
 * the service's event bus and who may publish on it, job results under {@code processed/} behind signed URLs, the
 * dead-letter alarms, and the Kafka entry behind its context flag. The default deployment is synthesized once; the
 * flagged variants each once in their test.
 */
class JobsAndEventsStackTest {
    static final String QUEUE_HANDLER = "io.imagescaler.handler.lambda.QueueHandler::handleRequest";
    static final String KAFKA_HANDLER = "io.imagescaler.handler.lambda.KafkaIngestHandler::handleRequest";
    static final String MSK_ARN = "arn:aws:kafka:us-east-1:123456789012:cluster/uploads/0f0e0d0c-0b0a-0908-0706-050403020100-1";
    static final String BROKER_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:kafka-uploads-AbCdEf";
    static final Map<String, Object> VPC = Map.of("kafkaVpcId", "vpc-0a1b2c3d4e5f60718",
            "kafkaSubnetIds", "subnet-0aaa1111bbbb2222c,subnet-0bbb2222cccc3333d", "kafkaSecurityGroupIds", "sg-0ccc3333dddd4444e");
    /** MSK with IAM access, the function placed in the cluster's VPC. */
    static final Map<String, Object> MSK_IN_VPC = with(VPC, Map.of("kafka", "msk:" + MSK_ARN));
    /** Self-managed brokers inside a VPC: the function and the event source's pollers placed there. */
    static final Map<String, Object> SELF_IN_VPC = with(VPC, Map.of("kafka", "self:b1.internal:9096",
            "kafkaSecretArn", BROKER_SECRET, "kafkaAuth", "SASL_SCRAM_256_AUTH"));

    private static Map<String, Object> with(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> out = new java.util.HashMap<>(a);
        out.putAll(b);
        return Map.copyOf(out);
    }

    static Synthesized synth;
    static TemplateJson t;

    @BeforeAll
    static void synthesize() {
        synth = Synthesized.with("jobs-default", Map.of());
        t = TemplateJson.of(synth.template());
    }

    // ---- queues --------------------------------------------------------------------------------------

    @Test
    void jobsAndUploadsQueuesRedriveToTheirDeadLetterQueuesAfterThreeReceives() {
        for (WorkQueue q : List.of(synth.stack().jobs().queue(), synth.stack().uploadProcessing().uploads())) {
            JsonNode queue = props(synth, t, q.queue());
            JsonNode dlq = props(synth, t, q.deadLetters());
            String name = queue.get("QueueName").asText();
            assertTrue(Set.of("image-scaler-jobs", "image-scaler-uploads").contains(name), name);
            assertEquals(name + "-dlq", dlq.get("QueueName").asText());
            assertEquals(3, queue.at("/RedrivePolicy/maxReceiveCount").asInt(), name);
            assertTrue(TemplateJson.references(queue.at("/RedrivePolicy/deadLetterTargetArn"), id(synth, q.deadLetters())));
            // both functions time out at 900 s; six times that, as AWS advises for event source mappings
            assertEquals(5400, queue.get("VisibilityTimeout").asInt(), name);
            assertEquals(14 * 24 * 3600, dlq.get("MessageRetentionPeriod").asInt(), "dead letters kept the maximum");
            for (JsonNode p : List.of(queue, dlq)) {
                assertTrue(p.get("SqsManagedSseEnabled").asBoolean(), p.toString());
            }
            for (IConstruct c : List.of(q.queue(), q.deadLetters())) {
                assertTrue(t.ofType("AWS::SQS::QueuePolicy").values().stream().anyMatch(p ->
                        TemplateJson.references(p.get("Queues"), id(synth, c))
                                && !TemplateJson.find(p, s -> "Deny".equals(s.path("Effect").asText())
                                && "false".equals(s.at("/Condition/Bool/aws:SecureTransport").asText())).isEmpty()),
                        "TLS enforced on " + id(synth, c));
            }
        }
    }

    @Test
    void theWorkerRunsQueueHandlerWithFifteenMinutesOnTheJobsQueueInBatchesOfOneAtMostTwoAtOnce() {
        JsonNode worker = props(synth, t, synth.stack().jobs().worker());
        JsonNode api = props(synth, t, synth.stack().api().function());
        assertEquals(QUEUE_HANDLER, worker.get("Handler").asText());
        assertEquals(api.get("Code"), worker.get("Code"), "the same jar as the API function");
        assertEquals(api.get("Runtime"), worker.get("Runtime"));
        assertEquals(api.get("Architectures"), worker.get("Architectures"));
        assertEquals(900, worker.get("Timeout").asInt());
        assertEquals(3008, worker.get("MemorySize").asInt(), "like the upload processor");
        assertTrue(worker.at("/EphemeralStorage/Size").asInt() >= 2048, worker.toString());
        assertEquals("Active", worker.at("/TracingConfig/Mode").asText());
        assertTrue(TemplateJson.references(worker.at("/LoggingConfig/LogGroup"),
                id(synth, synth.stack().jobs().getNode().findChild("WorkerLogs"))), "its own log group");

        JsonNode mapping = mappingOf(t, id(synth, synth.stack().jobs().worker()));
        assertTrue(TemplateJson.references(mapping.get("EventSourceArn"), id(synth, synth.stack().jobs().queue().queue())));
        assertEquals(1, mapping.get("BatchSize").asInt());
        assertEquals(2, mapping.at("/ScalingConfig/MaximumConcurrency").asInt());
        assertEquals(List.of("ReportBatchItemFailures"), list(mapping.get("FunctionResponseTypes")));

        JsonNode env = worker.at("/Environment/Variables");
        assertEquals("604800", env.get("RESULT_URL_LIFETIME_SECONDS").asText());
        assertEquals("3", env.get("JOBS_MAX_RECEIVE_COUNT").asText(), "the worker knows its last attempt");
        assertEquals("60000", env.get("SR_TIMEOUT_MS").asText(), "a job waits for SR up to SageMaker's own limit");
        // the sweep (the processor's schedule) fails a job only after every attempt's visibility timeout: 3 x 5400 s
        assertEquals("16200", props(synth, t, synth.stack().uploadProcessing().function())
                .at("/Environment/Variables/JOBS_STUCK_AFTER_SECONDS").asText());
        assertTrue(TemplateJson.references(env.get("RESULT_URL_BASE"), t.onlyId("AWS::CloudFront::Distribution")));
        assertTrue(TemplateJson.strings(env.get("RESULT_URL_BASE")).contains("https://"), env.get("RESULT_URL_BASE").toString());
        assertTrue(TemplateJson.references(env.get("RESULT_KEY_PAIR_ID"), t.onlyId("AWS::CloudFront::PublicKey")),
                "the key group's public key: the links are checked by the same trusted key group");
        String signingKey = id(synth, synth.stack().jobs().resultSigningKey());
        assertTrue(TemplateJson.references(env.get("RESULT_SIGNING_KEY_SECRET"), signingKey));
        for (String name : List.of("ORIGINALS_BUCKET", "GENERATED_BUCKET", "TABLE_NAME", "WEBHOOK_SECRET_ARN")) {
            assertEquals(api.at("/Environment/Variables/" + name), env.get(name), name);
        }
        // the private key is filled by the deployer; the stack never generates one
        JsonNode secret = props(synth, t, synth.stack().jobs().resultSigningKey());
        assertFalse(secret.has("GenerateSecretString"), secret.toString());
        assertTrue(secret.get("Description").asText().contains("private key"));
    }

    @Test
    void theWorkerMayReadOriginalsWriteResultsMoveJobsReadItsSecretsAndPublishNothingElse() {
        List<JsonNode> statements = statementsOf(synth, t, synth.stack().jobs().worker().getRole());
        String originals = id(synth, synth.stack().storage().originals());
        String generated = id(synth, synth.stack().storage().generated());
        String table = id(synth, synth.stack().storage().records());
        String bus = id(synth, synth.stack().events().bus());
        Set<String> actions = statements.stream().flatMap(s -> list(s.get("Action")).stream()).collect(Collectors.toSet());
        assertEquals(Set.of("logs:CreateLogStream", "logs:PutLogEvents", "xray:PutTraceSegments", "xray:PutTelemetryRecords",
                "s3:GetObject", "s3:PutObject", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                "secretsmanager:GetSecretValue", "events:PutEvents", "firehose:PutRecordBatch",
                "sqs:ReceiveMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueUrl", "sqs:DeleteMessage",
                "sqs:GetQueueAttributes"), actions);
        for (JsonNode s : statements) {
            List<String> a = list(s.get("Action"));
            JsonNode r = s.get("Resource");
            if (a.contains("s3:PutObject")) {
                assertEquals(List.of("/processed/*"), suffixes(r), "writes results only: " + s);
                assertTrue(TemplateJson.references(r, generated));
            } else if (a.contains("s3:GetObject")) {
                assertEquals(List.of("/originals/*"), suffixes(r), s.toString());
                assertTrue(TemplateJson.references(r, originals));
            }
            if (a.stream().anyMatch(x -> x.startsWith("dynamodb:"))) {
                assertTrue(TemplateJson.references(r, table));
            }
            if (a.contains("events:PutEvents")) {
                assertTrue(TemplateJson.references(r, bus), s.toString());
            }
            if (a.contains("secretsmanager:GetSecretValue")) {
                assertTrue(TemplateJson.references(r, id(synth, synth.stack().api().webhookSecret())));
                assertTrue(TemplateJson.references(r, id(synth, synth.stack().jobs().resultSigningKey())));
            }
            if (r.isTextual() && r.asText().equals("*")) {
                assertTrue(Set.of("xray:PutTraceSegments", "xray:PutTelemetryRecords").containsAll(a), "unscoped: " + a);
            }
        }
        assertFalse(actions.contains("sagemaker:InvokeEndpoint"), "no SR endpoint without -c sr=true");
        assertFalse(actions.contains("ses:SendEmail"), "no sender without -c mailFrom");
    }

    @Test
    void contextTunesTheJobsQueueAndWorkerAndSrMailAndAnExistingSigningKeyAreGranted() {
        String existing = "arn:aws:secretsmanager:us-east-1:123456789012:secret:signer-key-AbCdEf";
        Synthesized tuned = Synthesized.with("jobs-tuned", Map.of("jobsMaxReceiveCount", "5", "jobsBatchSize", "4",
                "jobsMaxConcurrency", "7", "sr", "true", "mailFrom", "jobs@example.org",
                "resultSigningKeySecretArn", existing));
        TemplateJson tt = TemplateJson.of(tuned.template());
        noWarnings(tuned);
        assertEquals(5, props(tuned, tt, tuned.stack().jobs().queue().queue()).at("/RedrivePolicy/maxReceiveCount").asInt());
        // variants kept 3 days: results (and their links) no longer than that, or the bucket-wide rule deletes them first
        Synthesized shortCache = Synthesized.with("jobs-short-cache", Map.of("generatedExpiryDays", "3"));
        TemplateJson sc = TemplateJson.of(shortCache.template());
        assertEquals(String.valueOf(3 * 24 * 3600), props(shortCache, sc, shortCache.stack().jobs().worker())
                .at("/Environment/Variables/RESULT_URL_LIFETIME_SECONDS").asText());
        assertEquals(3, TemplateJson.find(props(shortCache, sc, shortCache.stack().storage().generated()),
                r -> "processed/".equals(r.path("Prefix").asText())).getFirst().get("ExpirationInDays").asInt());
        assertEquals(3, props(tuned, tt, tuned.stack().uploadProcessing().uploads().queue())
                .at("/RedrivePolicy/maxReceiveCount").asInt(), "the uploads queue keeps its own count");
        JsonNode mapping = mappingOf(tt, id(tuned, tuned.stack().jobs().worker()));
        assertEquals(4, mapping.get("BatchSize").asInt());
        assertEquals(7, mapping.at("/ScalingConfig/MaximumConcurrency").asInt());
        JsonNode env = props(tuned, tt, tuned.stack().jobs().worker()).at("/Environment/Variables");
        assertEquals(existing, env.get("RESULT_SIGNING_KEY_SECRET").asText());
        assertEquals(String.valueOf(props(tuned, tt, tuned.stack().jobs().queue().queue())
                .at("/RedrivePolicy/maxReceiveCount").asInt()), env.get("JOBS_MAX_RECEIVE_COUNT").asText());
        assertTrue(env.has("SR_ENDPOINT_NAME"));
        assertEquals("jobs@example.org", env.get("MAIL_FROM").asText());
        assertTrue(tt.ofType("AWS::SecretsManager::Secret").values().stream()
                .noneMatch(s -> s.path("Description").asText().contains("CloudFront signer")), "no second key secret");
        List<JsonNode> statements = statementsOf(tuned, tt, tuned.stack().jobs().worker().getRole());
        assertTrue(statements.stream().anyMatch(s -> list(s.get("Action")).equals(List.of("secretsmanager:GetSecretValue"))
                && TemplateJson.strings(s.get("Resource")).contains(existing)));
        JsonNode sagemaker = statements.stream().filter(s -> list(s.get("Action")).contains("sagemaker:InvokeEndpoint"))
                .findFirst().orElseThrow();
        assertTrue(String.join("", TemplateJson.strings(sagemaker.get("Resource"))).contains(":endpoint/"));
        JsonNode ses = statements.stream().filter(s -> list(s.get("Action")).contains("ses:SendEmail")).findFirst().orElseThrow();
        assertTrue(String.join("", TemplateJson.strings(ses.get("Resource"))).endsWith(":identity/jobs@example.org"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Synthesized.with("jobs-bad", Map.of("jobsMaxConcurrency", "1")));
        assertTrue(e.getMessage().contains("jobsMaxConcurrency"), e.getMessage());
    }

    @Test
    void theApiFunctionSendsJobsToTheQueueItsEnvironmentNames() {
        JsonNode env = props(synth, t, synth.stack().api().function()).at("/Environment/Variables");
        // the API signs the links in GET /v1/jobs/{id} with the worker's key; the domain comes through SSM
        assertTrue(env.has("RESULT_URL_BASE_PARAMETER"), env.toString());
        assertTrue(TemplateJson.references(env.get("RESULT_KEY_PAIR_ID"), t.onlyId("AWS::CloudFront::PublicKey")));
        assertTrue(TemplateJson.references(env.get("RESULT_SIGNING_KEY_SECRET"),
                id(synth, synth.stack().jobs().resultSigningKey())));
        String queue = id(synth, synth.stack().jobs().queue().queue());
        assertTrue(TemplateJson.references(env.get("JOBS_QUEUE_URL"), queue), env.toString());
        List<JsonNode> send = statementsOf(synth, t, synth.stack().api().function().getRole()).stream()
                .filter(s -> list(s.get("Action")).stream().anyMatch(a -> a.startsWith("sqs:"))).toList();
        assertEquals(1, send.size(), send.toString());
        assertEquals(List.of("sqs:SendMessage"), list(send.getFirst().get("Action")));
        assertTrue(TemplateJson.references(send.getFirst().get("Resource"), queue));
        // the routes exist at API Gateway, and CloudFront sends a submission there, not to the signed variant behaviour
        assertTrue(t.ofType("AWS::ApiGateway::Method").keySet().stream().anyMatch(k -> k.contains("jobsPOST")));
        assertTrue(t.ofType("AWS::ApiGateway::Method").keySet().stream().anyMatch(k -> k.contains("jobIdGET")));
        JsonNode jobs = TemplateJson.find(t.only("AWS::CloudFront::Distribution").at("/DistributionConfig/CacheBehaviors"),
                b -> Cdn.JOBS_PATH.equals(b.path("PathPattern").asText())).getFirst();
        assertTrue(list(jobs.get("AllowedMethods")).contains("POST"));
        assertFalse(jobs.has("TrustedKeyGroups"));
    }

    // ---- uploads: S3 -> EventBridge -> SQS -> processor -----------------------------------------------

    @Test
    void completedUploadsUnderIncomingGoFromTheDefaultBusToTheUploadsQueueWhichOnlyThatRuleMayFill() {
        String ruleId = id(synth, synth.stack().uploadProcessing().completedUploads());
        JsonNode rule = t.resources().get(ruleId).get("Properties");
        assertFalse(rule.has("EventBusName"), "S3 publishes on the account's default bus");
        JsonNode pattern = rule.get("EventPattern");
        assertEquals(List.of("aws.s3"), list(pattern.get("source")));
        assertEquals(List.of("Object Created"), list(pattern.get("detail-type")));
        assertTrue(TemplateJson.references(pattern.at("/detail/bucket/name"), id(synth, synth.stack().storage().originals())));
        assertEquals("incoming/", pattern.at("/detail/object/key/0/prefix").asText());
        String queue = id(synth, synth.stack().uploadProcessing().uploads().queue());
        assertEquals(1, rule.get("Targets").size());
        assertTrue(TemplateJson.references(rule.at("/Targets/0/Arn"), queue));

        List<JsonNode> fromEvents = new ArrayList<>();
        t.ofType("AWS::SQS::QueuePolicy").values().stream().filter(p -> TemplateJson.references(p.get("Queues"), queue))
                .forEach(p -> fromEvents.addAll(TemplateJson.find(p, s -> "events.amazonaws.com".equals(s.at("/Principal/Service").asText()))));
        assertEquals(1, fromEvents.size());
        assertTrue(list(fromEvents.getFirst().get("Action")).contains("sqs:SendMessage"));
        assertTrue(TemplateJson.references(fromEvents.getFirst().at("/Condition/ArnEquals/aws:SourceArn"), ruleId),
                "from this rule only: " + fromEvents.getFirst());

        String processor = id(synth, synth.stack().uploadProcessing().function());
        JsonNode fn = t.resources().get(processor).get("Properties");
        assertEquals(QUEUE_HANDLER, fn.get("Handler").asText());
        JsonNode mapping = mappingOf(t, processor);
        assertTrue(TemplateJson.references(mapping.get("EventSourceArn"), queue));
        assertEquals(1, mapping.get("BatchSize").asInt());
        assertEquals(List.of("ReportBatchItemFailures"), list(mapping.get("FunctionResponseTypes")));
    }

    @Test
    void theOriginalsBucketSendsItsEventsToEventBridgeAndNoLongerNotifiesTheProcessorDirectly() {
        JsonNode n = t.only("Custom::S3BucketNotifications");
        assertTrue(TemplateJson.references(n.get("BucketName"), id(synth, synth.stack().storage().originals())));
        JsonNode config = n.get("NotificationConfiguration");
        assertTrue(config.get("EventBridgeConfiguration").isObject());
        assertEquals(Set.of("EventBridgeConfiguration"), fieldNames(config), "no Lambda, queue or topic notification");
        assertTrue(t.ofType("AWS::Lambda::Permission").values().stream()
                .noneMatch(p -> "s3.amazonaws.com".equals(p.path("Principal").asText())));
    }

    // ---- the service's events -------------------------------------------------------------------------

    @Test
    void theServiceBusIsImageScalerEventsArchivedAndOnlyItMayBePublishedTo() {
        JsonNode bus = t.only("AWS::Events::EventBus");
        assertEquals("image-scaler-events", bus.get("Name").asText());
        String busId = t.onlyId("AWS::Events::EventBus");
        JsonNode archive = t.only("AWS::Events::Archive");
        assertTrue(TemplateJson.references(archive.get("SourceArn"), busId));
        assertEquals(List.of("image-scaler"), list(archive.at("/EventPattern/source")));

        List<software.amazon.awscdk.services.lambda.Function> publishers = List.of(synth.stack().api().function(),
                synth.stack().uploadProcessing().function(), synth.stack().jobs().worker());
        for (var fn : publishers) {
            JsonNode env = props(synth, t, fn).at("/Environment/Variables");
            assertTrue(TemplateJson.references(env.get("EVENT_BUS_NAME"), busId), fn.getNode().getPath());
            List<JsonNode> put = statementsOf(synth, t, fn.getRole()).stream()
                    .filter(s -> list(s.get("Action")).contains("events:PutEvents")).toList();
            assertEquals(1, put.size(), fn.getNode().getPath());
            assertEquals(List.of("events:PutEvents"), list(put.getFirst().get("Action")));
            assertTrue(TemplateJson.references(put.getFirst().get("Resource"), busId), put.getFirst().toString());
            assertFalse(TemplateJson.strings(put.getFirst().get("Resource")).contains("*"));
        }
        // nobody else publishes anywhere
        long grants = t.ofType("AWS::IAM::Policy").values().stream()
                .flatMap(p -> TemplateJson.find(p, s -> list(s.get("Action")).contains("events:PutEvents")).stream()).count();
        assertEquals(publishers.size(), grants);
        assertEquals(List.of("image_uploaded", "image_moderated", "image_deleted", "job_processed", "job_delivered"),
                ServiceEvents.DETAIL_TYPES);
    }

    // ---- results --------------------------------------------------------------------------------------

    @Test
    void processedResultsExpireAfterSevenDays() {
        JsonNode rules = props(synth, t, synth.stack().storage().generated()).at("/LifecycleConfiguration/Rules");
        JsonNode processed = TemplateJson.find(rules, r -> "processed/".equals(r.path("Prefix").asText())).getFirst();
        assertEquals(7, processed.get("ExpirationInDays").asInt());
        assertEquals("Enabled", processed.get("Status").asText());
    }

    @Test
    void resultsAreServedFromTheGeneratedBucketOverHttpsToSignedUrlsOnlyWithAPathOnlyCacheKey() {
        JsonNode dist = t.only("AWS::CloudFront::Distribution").get("DistributionConfig");
        JsonNode behavior = TemplateJson.find(dist.get("CacheBehaviors"),
                b -> "/processed/*".equals(b.path("PathPattern").asText())).getFirst();
        assertEquals("https-only", behavior.get("ViewerProtocolPolicy").asText());
        assertTrue(TemplateJson.references(behavior.get("TrustedKeyGroups"), t.onlyId("AWS::CloudFront::KeyGroup")));
        assertEquals(List.of("GET", "HEAD"), list(behavior.get("AllowedMethods")));
        assertFalse(behavior.has("FunctionAssociations"), "the path is the bucket key");
        JsonNode key = t.resources().get(behavior.at("/CachePolicyId/Ref").asText())
                .at("/Properties/CachePolicyConfig/ParametersInCacheKeyAndForwardedToOrigin");
        assertEquals("none", key.at("/QueryStringsConfig/QueryStringBehavior").asText());
        assertEquals("none", key.at("/HeadersConfig/HeaderBehavior").asText());
        assertEquals("none", key.at("/CookiesConfig/CookieBehavior").asText());
        JsonNode origin = TemplateJson.find(dist.get("Origins"),
                o -> behavior.get("TargetOriginId").asText().equals(o.path("Id").asText())).getFirst();
        assertTrue(TemplateJson.references(origin.get("DomainName"), id(synth, synth.stack().storage().generated())));
        assertTrue(TemplateJson.references(origin.get("OriginAccessControlId"), t.onlyId("AWS::CloudFront::OriginAccessControl")),
                "the one OAC the variants use");
    }

    // ---- alarms ---------------------------------------------------------------------------------------

    @Test
    void aMessageInEitherDeadLetterQueueOrAnHourOldJobRaisesAnAlarm() {
        Map<String, JsonNode> alarms = t.ofType("AWS::CloudWatch::Alarm");
        for (WorkQueue q : List.of(synth.stack().jobs().queue(), synth.stack().uploadProcessing().uploads())) {
            String dlqName = id(synth, q.deadLetters());
            JsonNode alarm = alarms.values().stream().filter(a -> TemplateJson.references(a, dlqName)).findFirst().orElseThrow();
            assertEquals("ApproximateNumberOfMessagesVisible", ImageScalerStackTest.metric(alarm).get("MetricName").asText());
            assertEquals(0, alarm.get("Threshold").asInt());
            assertEquals("GreaterThanThreshold", alarm.get("ComparisonOperator").asText());
            assertEquals(1, alarm.get("EvaluationPeriods").asInt());
        }
        String jobs = id(synth, synth.stack().jobs().queue().queue());
        JsonNode age = alarms.values().stream().filter(a -> TemplateJson.references(a, jobs)).findFirst().orElseThrow();
        assertEquals("ApproximateAgeOfOldestMessage", ImageScalerStackTest.metric(age).get("MetricName").asText());
        assertEquals(Monitoring.JOB_AGE_ALARM_SECONDS, age.get("Threshold").asInt());
    }

    // ---- Kafka ----------------------------------------------------------------------------------------

    @Test
    void withoutTheKafkaFlagThereIsNoKafkaEntry() {
        assertTrue(synth.stack().kafka().isEmpty());
        assertTrue(t.ofType("AWS::Lambda::Function").values().stream()
                .noneMatch(f -> KAFKA_HANDLER.equals(f.path("Handler").asText())));
        assertTrue(t.ofType("AWS::Lambda::EventSourceMapping").values().stream()
                .noneMatch(m -> m.has("Topics") || m.has("SelfManagedEventSource")));
    }

    @Test
    void kafkaMskConsumesImageUploadsFromTheClusterWithTheIntakesGrantsAndIamAccessToItsTopicsAndGroup() {
        Synthesized msk = Synthesized.with("kafka-msk", MSK_IN_VPC);
        TemplateJson m = TemplateJson.of(msk.template());
        KafkaIngest kafka = msk.stack().kafka().orElseThrow();
        String fnId = id(msk, kafka.function());
        JsonNode fn = m.resources().get(fnId).get("Properties");
        assertEquals(KAFKA_HANDLER, fn.get("Handler").asText());
        JsonNode env = fn.at("/Environment/Variables");
        assertEquals("image-uploads-failed", env.get("KAFKA_FAILURE_TOPIC").asText());
        assertFalse(env.has("KAFKA_BOOTSTRAP_SERVERS"), "MSK: the handler takes the event's bootstrapServers");
        assertTrue(env.has("EVENT_BUS_NAME"));
        JsonNode mapping = mappingOf(m, fnId);
        assertEquals(MSK_ARN, mapping.get("EventSourceArn").asText());
        assertEquals(List.of("image-uploads"), list(mapping.get("Topics")));
        assertEquals("LATEST", mapping.get("StartingPosition").asText());
        assertEquals(KafkaIngest.BATCH_SIZE, mapping.get("BatchSize").asInt());
        assertEquals("image-scaler-kafka-ingest", mapping.at("/AmazonManagedKafkaEventSourceConfig/ConsumerGroupId").asText());
        assertTrue(TemplateJson.references(mapping.at("/DestinationConfig/OnFailure/Destination"), id(msk, kafka.failedBatches())));
        assertIntakeGrants(msk, m, kafka);
        // IAM access control: read the topic, join the group, write the failure topic, nothing else of the cluster
        String prefix = "arn:aws:kafka:us-east-1:123456789012:";
        String cluster = "uploads/0f0e0d0c-0b0a-0908-0706-050403020100-1";
        Map<String, List<String>> kafkaGrants = new java.util.HashMap<>();
        statementsOf(msk, m, kafka.function().getRole()).stream()
                .filter(x -> list(x.get("Action")).stream().anyMatch(a -> a.startsWith("kafka-cluster:")))
                .forEach(x -> kafkaGrants.put(x.get("Resource").asText(), list(x.get("Action"))));
        assertEquals(Map.of(
                MSK_ARN, List.of("kafka-cluster:Connect", "kafka-cluster:DescribeClusterDynamicConfiguration"),
                prefix + "topic/" + cluster + "/image-uploads", List.of("kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"),
                prefix + "topic/" + cluster + "/image-uploads-failed", List.of("kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"),
                prefix + "group/" + cluster + "/image-scaler-kafka-ingest", List.of("kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup")),
                kafkaGrants);
        JsonNode vpc = m.resources().get(fnId).at("/Properties/VpcConfig");
        assertEquals(List.of("subnet-0aaa1111bbbb2222c", "subnet-0bbb2222cccc3333d"), list(vpc.get("SubnetIds")));
        assertEquals(List.of("sg-0ccc3333dddd4444e"), list(vpc.get("SecurityGroupIds")));

        noWarnings(msk);

        IllegalArgumentException half = assertThrows(IllegalArgumentException.class, () -> Synthesized.with("kafka-halfvpc",
                Map.of("kafka", "msk:" + MSK_ARN, "kafkaSubnetIds", "subnet-0aaa1111bbbb2222c")));
        assertTrue(half.getMessage().contains("go together"), half.getMessage());
    }

    @Test
    void kafkaSelfManagedReadsTheBrokersWithTheGivenSecretAndAMissingSecretIsAClearError() {
        Synthesized self = Synthesized.with("kafka-self", Map.of("kafka", "self:b1.example.org:9096,b2.example.org:9096",
                "kafkaSecretArn", BROKER_SECRET));
        TemplateJson s = TemplateJson.of(self.template());
        KafkaIngest kafka = self.stack().kafka().orElseThrow();
        String fnId = id(self, kafka.function());
        JsonNode env = s.resources().get(fnId).at("/Properties/Environment/Variables");
        assertEquals("b1.example.org:9096,b2.example.org:9096", env.get("KAFKA_BOOTSTRAP_SERVERS").asText());
        JsonNode mapping = mappingOf(s, fnId);
        assertEquals(List.of("b1.example.org:9096", "b2.example.org:9096"),
                list(mapping.at("/SelfManagedEventSource/Endpoints/KafkaBootstrapServers")));
        assertEquals(List.of("image-uploads"), list(mapping.get("Topics")));
        assertEquals("LATEST", mapping.get("StartingPosition").asText());
        assertFalse(s.resources().get(fnId).get("Properties").has("VpcConfig"), "public brokers: no VPC without the context");
        assertTrue(statementsOf(self, s, kafka.function().getRole()).stream()
                .noneMatch(x -> list(x.get("Action")).stream().anyMatch(a -> a.startsWith("kafka-cluster:"))));
        JsonNode access = mapping.get("SourceAccessConfigurations");
        assertTrue(TemplateJson.find(access, a -> "SASL_SCRAM_512_AUTH".equals(a.path("Type").asText())
                && BROKER_SECRET.equals(a.path("URI").asText())).size() == 1, access.toString());
        assertTrue(TemplateJson.references(mapping.at("/DestinationConfig/OnFailure/Destination"), id(self, kafka.failedBatches())));
        assertIntakeGrants(self, s, kafka);

        noWarnings(self);
        Synthesized inVpc = Synthesized.with("kafka-self-vpc", SELF_IN_VPC);
        noWarnings(inVpc);
        TemplateJson v = TemplateJson.of(inVpc.template());
        JsonNode vpcAccess = mappingOf(v, id(inVpc, inVpc.stack().kafka().orElseThrow().function())).get("SourceAccessConfigurations");
        Set<String> entries = new java.util.HashSet<>();
        vpcAccess.forEach(a -> entries.add(a.get("Type").asText() + "=" + a.get("URI").asText()));
        // the pollers' network, in the form CDK's SelfManagedKafkaEventSource writes it (plain EC2 ids)
        assertEquals(Set.of("SASL_SCRAM_256_AUTH=" + BROKER_SECRET, "VPC_SUBNET=subnet-0aaa1111bbbb2222c",
                "VPC_SUBNET=subnet-0bbb2222cccc3333d", "VPC_SECURITY_GROUP=sg-0ccc3333dddd4444e"), entries);

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Synthesized.with("kafka-nosecret", Map.of("kafka", "self:b1.example.org:9096")));
        assertTrue(missing.getMessage().contains("kafkaSecretArn"), missing.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Synthesized.with("kafka-bad", Map.of("kafka", "kinesis:stream")));
        assertTrue(bad.getMessage().contains("msk:<clusterArn> or self:<host:port,...>"), bad.getMessage());
    }

    private static void assertIntakeGrants(Synthesized s, TemplateJson tj, KafkaIngest kafka) {
        List<JsonNode> statements = statementsOf(s, tj, kafka.function().getRole());
        Set<String> actions = statements.stream().flatMap(x -> list(x.get("Action")).stream()).collect(Collectors.toSet());
        assertTrue(actions.containsAll(Set.of("s3:PutObject", "s3:DeleteObject", "dynamodb:PutItem", "dynamodb:UpdateItem",
                "rekognition:DetectModerationLabels", "events:PutEvents", "sqs:SendMessage")), actions.toString());
        for (JsonNode x : statements) {
            List<String> a = list(x.get("Action"));
            if (a.contains("s3:PutObject")) {
                assertEquals(Set.of("/originals/*", "/quarantine/*"), Set.copyOf(suffixes(x.get("Resource"))), x.toString());
            }
            if (a.contains("events:PutEvents")) {
                assertTrue(TemplateJson.references(x.get("Resource"), id(s, s.stack().events().bus())));
            }
            if (a.contains("sqs:SendMessage")) {
                assertTrue(TemplateJson.references(x.get("Resource"), id(s, kafka.failedBatches())), "on-failure records");
            }
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private static void noWarnings(Synthesized s) {
        var annotations = software.amazon.awscdk.assertions.Annotations.fromStack(s.stack());
        annotations.hasNoError("*", software.amazon.awscdk.assertions.Match.anyValue());
        annotations.hasNoWarning("*", software.amazon.awscdk.assertions.Match.anyValue());
    }

    private static String id(Synthesized s, IConstruct c) {
        return LogicalIds.logicalId(s, c);
    }

    private static JsonNode props(Synthesized s, TemplateJson tj, IConstruct c) {
        return tj.resources().get(id(s, c)).get("Properties");
    }

    private static JsonNode mappingOf(TemplateJson tj, String functionId) {
        List<JsonNode> found = tj.ofType("AWS::Lambda::EventSourceMapping").values().stream()
                .filter(m -> TemplateJson.references(m.get("FunctionName"), functionId)).toList();
        assertEquals(1, found.size(), functionId + ": " + found);
        return found.getFirst();
    }

    private static List<JsonNode> statementsOf(Synthesized s, TemplateJson tj, software.amazon.awscdk.services.iam.IRole role) {
        String roleId = id(s, role);
        List<JsonNode> out = new ArrayList<>();
        tj.ofType("AWS::IAM::Policy").values().stream()
                .filter(p -> TemplateJson.references(p.get("Roles"), roleId))
                .forEach(p -> p.at("/PolicyDocument/Statement").forEach(out::add));
        return out;
    }

    /** The suffixes of {@code Fn::Join} resources ({@code <bucket arn>/prefix/*}). */
    private static List<String> suffixes(JsonNode resource) {
        List<JsonNode> each = new ArrayList<>();
        if (resource.isArray()) {
            resource.forEach(each::add);
        } else {
            each.add(resource);
        }
        return each.stream().map(r -> r.at("/Fn::Join/1/1").asText()).toList();
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> out = new java.util.HashSet<>();
        node.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
