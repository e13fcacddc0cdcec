package io.imagescaler.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The default deployment (no SR endpoint, signer key as a CloudFormation parameter), synthesized once.
 * Each test reads one concern of the template the way CloudFormation would receive it.
 */
class ImageScalerStackTest {
    static Synthesized synth;
    static TemplateJson t;

    @BeforeAll
    static void synthesize() {
        synth = Synthesized.with("default", Map.of());
        t = TemplateJson.of(synth.template());
    }

    // ---- storage -------------------------------------------------------------------------------------

    @Test
    void originalsBucketIsPrivateEncryptedVersionedWithLifecycle() {
        JsonNode b = t.resources().get(logicalId(synth.stack().storage().originals()));
        JsonNode p = b.get("Properties");
        JsonNode block = p.get("PublicAccessBlockConfiguration");
        for (String f : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertTrue(block.get(f).asBoolean(), f);
        }
        assertEquals("AES256", p.at("/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm").asText());
        assertEquals("Enabled", p.at("/VersioningConfiguration/Status").asText());
        Map<String, JsonNode> rules = rulesById(p);
        assertEquals("incoming/", rules.get("incoming-2d").get("Prefix").asText());
        assertEquals(2, rules.get("incoming-2d").get("ExpirationInDays").asInt());
        assertEquals("quarantine/", rules.get("quarantine-30d").get("Prefix").asText());
        assertEquals(30, rules.get("quarantine-30d").get("ExpirationInDays").asInt());
        assertEquals(1, rules.get("abort-multipart-1d").at("/AbortIncompleteMultipartUpload/DaysAfterInitiation").asInt());
        assertFalse(rules.get("abort-multipart-1d").has("Prefix"), "abort rule covers the whole bucket");
        // nothing under originals/ ever expires
        rules.values().forEach(r -> assertFalse(r.path("Prefix").asText().startsWith("originals"), r.toString()));
    }

    @Test
    void originalsBucketLetsBrowserPagesPutMultipartPartsAndReadTheirEtag() {
        JsonNode p = t.resources().get(logicalId(synth.stack().storage().originals())).get("Properties");
        JsonNode rules = p.at("/CorsConfiguration/CorsRules");
        assertEquals(1, rules.size(), rules.toString());
        JsonNode rule = rules.get(0);
        assertEquals(List.of("PUT"), list(rule.get("AllowedMethods")), "parts only: no cross-origin reads");
        assertEquals(List.of("Content-Type"), list(rule.get("AllowedHeaders")));
        assertEquals(List.of("ETag"), list(rule.get("ExposedHeaders")), "completing needs every part's ETag");
        assertEquals(List.of("*"), list(rule.get("AllowedOrigins")));
        // variants and originals are read through CloudFront only: the generated bucket has no CORS rule
        assertTrue(t.resources().get(logicalId(synth.stack().storage().generated())).get("Properties")
                .path("CorsConfiguration").isMissingNode());
    }

    @Test
    void generatedBucketExpiresVariantsAfterSevenDaysByDefault() {
        JsonNode p = t.resources().get(logicalId(synth.stack().storage().generated())).get("Properties");
        assertTrue(p.at("/PublicAccessBlockConfiguration/BlockPublicPolicy").asBoolean());
        JsonNode expire = rulesById(p).get("variants-expire");
        assertEquals(7, expire.get("ExpirationInDays").asInt());
        assertFalse(expire.has("Prefix"));
    }

    @Test
    void tableIsOnDemandWithPitrTtlAndOwnerIndex() {
        JsonNode table = t.only("AWS::DynamoDB::Table");
        assertEquals("image-records", table.get("TableName").asText());
        assertEquals("PAY_PER_REQUEST", table.get("BillingMode").asText());
        assertTrue(table.at("/PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled").asBoolean());
        assertEquals("ttl", table.at("/TimeToLiveSpecification/AttributeName").asText());
        assertTrue(table.at("/TimeToLiveSpecification/Enabled").asBoolean());
        assertEquals("pk", table.at("/KeySchema/0/AttributeName").asText(), "the handler's key (DynamoImageRecords.PK)");
        assertEquals("HASH", table.at("/KeySchema/0/KeyType").asText());
        JsonNode gsi = table.at("/GlobalSecondaryIndexes/0");
        assertEquals("owner-index", gsi.get("IndexName").asText());
        assertEquals("owner", gsi.at("/KeySchema/0/AttributeName").asText());
        assertEquals("createdAt", gsi.at("/KeySchema/1/AttributeName").asText());
        assertEquals("RANGE", gsi.at("/KeySchema/1/KeyType").asText());
        Map<String, String> types = new java.util.HashMap<>();
        table.get("AttributeDefinitions").forEach(a -> types.put(a.get("AttributeName").asText(), a.get("AttributeType").asText()));
        assertEquals(Map.of("pk", "S", "owner", "S", "createdAt", "S"), types);
    }

    // ---- the image-handler Lambda --------------------------------------------------------------------

    @Test
    void handlerIsJava25X86WithSnapStartActiveTracingAndItsEnvironment() {
        JsonNode fn = handler();
        assertEquals("java25", fn.get("Runtime").asText());
        assertEquals("io.imagescaler.handler.lambda.ImageHandler::handleRequest", fn.get("Handler").asText());
        assertEquals("x86_64", fn.at("/Architectures/0").asText());
        assertEquals("PublishedVersions", fn.at("/SnapStart/ApplyOn").asText());
        assertEquals("Active", fn.at("/TracingConfig/Mode").asText());
        assertEquals(1769, fn.get("MemorySize").asInt());
        assertEquals(29, fn.get("Timeout").asInt());
        JsonNode env = fn.at("/Environment/Variables");
        assertEquals("1", env.get("VIPS_CONCURRENCY").asText());
        for (String name : List.of("ORIGINALS_BUCKET", "GENERATED_BUCKET", "TABLE_NAME", "ORIGIN_VERIFY_SECRET_ARN")) {
            assertTrue(env.has(name), name);
        }
        assertTrue(TemplateJson.references(env.get("ORIGINALS_BUCKET"), logicalId(synth.stack().storage().originals())));
        assertTrue(TemplateJson.references(env.get("GENERATED_BUCKET"), logicalId(synth.stack().storage().generated())));
        assertTrue(env.get("JAVA_TOOL_OPTIONS").asText().contains("--enable-native-access=ALL-UNNAMED"));
        assertFalse(env.has("SR_ENDPOINT_NAME"), "no SR endpoint without -c sr=true");
        assertFalse(env.has("AVIF_EFFORT") || env.has("WEBP_EFFORT"), "encoder effort: the handler's default");
    }

    @Test
    void apiInvokesThePublishedAliasNeverLatest() {
        String aliasId = t.onlyId("AWS::Lambda::Alias");
        JsonNode alias = t.only("AWS::Lambda::Alias");
        assertEquals("live", alias.get("Name").asText());
        assertTrue(TemplateJson.references(alias.get("FunctionVersion"), t.onlyId("AWS::Lambda::Version")));
        Map<String, JsonNode> methods = t.ofType("AWS::ApiGateway::Method");
        assertEquals(9, methods.size(), methods.keySet().toString());
        methods.values().forEach(m -> {
            assertEquals("AWS_PROXY", m.at("/Integration/Type").asText());
            assertTrue(TemplateJson.references(m.at("/Integration/Uri"), aliasId), "method must call the alias: " + m);
        });
    }

    @Test
    void largeUploadsReachTheProcessorThroughEventBridgeAndTheUploadsQueueNotADirectNotification() {
        // the bucket's only notification is EventBridge delivery (the rule and queue: JobsAndEventsStackTest)
        JsonNode n = t.only("Custom::S3BucketNotifications");
        assertTrue(TemplateJson.references(n.get("BucketName"), logicalId(synth.stack().storage().originals())));
        assertTrue(n.at("/NotificationConfiguration/EventBridgeConfiguration").isObject(), n.toString());
        assertTrue(n.at("/NotificationConfiguration/LambdaFunctionConfigurations").isMissingNode(), n.toString());
        assertTrue(t.ofType("AWS::Lambda::Permission").values().stream().noneMatch(p ->
                "s3.amazonaws.com".equals(p.path("Principal").asText())), "S3 invokes no function");
        assertTrue(t.ofType("AWS::Lambda::EventSourceMapping").values().stream().anyMatch(m ->
                TemplateJson.references(m.get("FunctionName"), processorId())
                        && TemplateJson.references(m.get("EventSourceArn"),
                        logicalId(synth.stack().uploadProcessing().uploads().queue()))));
    }

    @Test
    void theProcessorRunsTheSameHandlerWithFifteenMinutesAndTenGigabytesOfTmp() {
        JsonNode fn = t.resources().get(processorId()).get("Properties");
        assertEquals("io.imagescaler.handler.lambda.QueueHandler::handleRequest", fn.get("Handler").asText(),
                "SQS batches and the scheduled sweep");
        assertEquals(handler().get("Code"), fn.get("Code"), "the same code asset as the API function");
        assertEquals("java25", fn.get("Runtime").asText());
        assertEquals(900, fn.get("Timeout").asInt());
        assertEquals(10240, fn.at("/EphemeralStorage/Size").asInt());
        JsonNode env = fn.at("/Environment/Variables");
        long maxUpload = Long.parseLong(env.get("MAX_LARGE_UPLOAD_BYTES").asText());
        // the whole object is streamed to /tmp: it must fit, with room for the unpacked OpenCV natives
        assertTrue(maxUpload + 1024L * 1024 * 1024 <= 10240L * 1024 * 1024, "MAX_LARGE_UPLOAD_BYTES " + maxUpload);
        assertEquals("/tmp/uploads", env.get("PROCESSING_DIR").asText());
        assertTrue(Integer.parseInt(env.get("SWEEP_AFTER_SECONDS").asText()) > fn.get("Timeout").asInt(),
                "a sweep must never overlap a live processing");
        for (String name : List.of("ORIGINALS_BUCKET", "GENERATED_BUCKET", "TABLE_NAME")) {
            assertEquals(handler().at("/Environment/Variables/" + name), env.get(name), name);
        }
        // the API function refuses uploads the processor would refuse
        assertEquals(env.get("MAX_LARGE_UPLOAD_BYTES"), handler().at("/Environment/Variables/MAX_LARGE_UPLOAD_BYTES"));
        assertFalse(env.has("MAIL_FROM"), "no sender without -c mailFrom");
        // webhooks: both functions name the generated secret, and both roles may read exactly that one
        String webhookSecret = logicalId(synth.stack().api().webhookSecret());
        assertTrue(TemplateJson.references(env.get("WEBHOOK_SECRET_ARN"), webhookSecret));
        assertTrue(TemplateJson.references(handler().at("/Environment/Variables/WEBHOOK_SECRET_ARN"), webhookSecret));
        assertFalse(env.has("WEBHOOK_SECRET"), "the key itself never sits in the configuration");
        for (var role : List.of(synth.stack().api().function().getRole(), synth.stack().uploadProcessing().function().getRole())) {
            assertTrue(statementsOf(role).stream().anyMatch(s -> list(s.get("Action")).equals(List.of("secretsmanager:GetSecretValue"))
                    && TemplateJson.references(s.get("Resource"), webhookSecret)), role.toString());
        }
    }

    @Test
    void theSweeperRunsOnASchedule() {
        String ruleId = logicalId(synth.stack().uploadProcessing().sweeper());
        JsonNode rule = t.resources().get(ruleId).get("Properties");
        assertEquals("rate(10 minutes)", rule.get("ScheduleExpression").asText());
        assertEquals("ENABLED", rule.get("State").asText());
        assertTrue(TemplateJson.references(rule.at("/Targets/0/Arn"), processorId()));
        assertFalse(rule.at("/Targets/0").has("Input"), "the plain Scheduled Event, which the handler recognises");
        assertTrue(t.ofType("AWS::Lambda::Permission").values().stream().anyMatch(p ->
                "events.amazonaws.com".equals(p.path("Principal").asText())
                        && TemplateJson.references(p.get("FunctionName"), processorId())
                        && TemplateJson.references(p.get("SourceArn"), ruleId)));
    }

    @Test
    void processorGrantsCoverReadCopyMultipartModerationAndTheSweepersScanOnly() {
        String originals = logicalId(synth.stack().storage().originals());
        List<JsonNode> statements = statementsOf(synth.stack().uploadProcessing().function().getRole());
        Set<String> actions = statements.stream().flatMap(s -> list(s.get("Action")).stream()).collect(Collectors.toSet());
        assertTrue(actions.containsAll(Set.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject",
                "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts", "dynamodb:Scan", "dynamodb:UpdateItem",
                "rekognition:DetectModerationLabels")), actions.toString());
        assertFalse(actions.contains("ses:SendEmail"), "no SES grant without a sender");
        for (JsonNode s : statements) {
            List<String> a = list(s.get("Action"));
            a.forEach(x -> assertFalse(x.endsWith(":*") || x.equals("*"), "wildcard action " + x));
            if (a.stream().anyMatch(x -> x.startsWith("s3:"))) {
                assertTrue(TemplateJson.references(s.get("Resource"), originals), "originals bucket only: " + s);
                Set<String> suffixes = new java.util.HashSet<>();
                s.get("Resource").forEach(r -> suffixes.add(r.at("/Fn::Join/1/1").asText()));
                // the copy source (incoming/) and its destinations (originals/, quarantine/), never the bucket
                assertEquals(Set.of("/originals/*", "/incoming/*", "/quarantine/*"), suffixes, s.toString());
            }
            if (a.contains("dynamodb:Scan")) {
                assertTrue(TemplateJson.references(s.get("Resource"), t.onlyId("AWS::DynamoDB::Table")));
                assertFalse(TemplateJson.strings(s.get("Resource")).stream().anyMatch(x -> x.contains("index")));
            }
            if (s.get("Resource").isTextual() && s.get("Resource").asText().equals("*")) {
                assertTrue(Set.of("xray:PutTraceSegments", "xray:PutTelemetryRecords",
                        "rekognition:DetectModerationLabels").containsAll(a), "unscoped: " + a);
            }
        }
    }

    @Test
    void withASenderTheProcessorMaySendEmailFromThatIdentityOnly() {
        Synthesized mail = Synthesized.with("mail", Map.of("mailFrom", "uploads@example.org"));
        TemplateJson m = TemplateJson.of(mail.template());
        String processor = LogicalIds.logicalId(mail, mail.stack().uploadProcessing().function());
        assertEquals("uploads@example.org", m.resources().get(processor).at("/Properties/Environment/Variables/MAIL_FROM").asText());
        String api = LogicalIds.logicalId(mail, mail.stack().api().function());
        assertEquals("uploads@example.org", m.resources().get(api).at("/Properties/Environment/Variables/MAIL_FROM").asText(),
                "the API function accepts email notifications only where they can be sent");
        String role = LogicalIds.logicalId(mail, mail.stack().uploadProcessing().function().getRole());
        List<JsonNode> ses = new ArrayList<>();
        m.ofType("AWS::IAM::Policy").values().stream().filter(p -> TemplateJson.references(p.get("Roles"), role))
                .forEach(p -> p.at("/PolicyDocument/Statement").forEach(s -> {
                    if (list(s.get("Action")).contains("ses:SendEmail")) ses.add(s);
                }));
        assertEquals(1, ses.size());
        assertEquals(List.of("ses:SendEmail"), list(ses.get(0).get("Action")));
        String arn = String.join("", TemplateJson.strings(ses.get(0).get("Resource")));
        assertTrue(arn.startsWith("arn:") && arn.endsWith(":ses:us-east-1:123456789012:identity/uploads@example.org"), arn);
    }

    @Test
    void handlerGrantsNameTheExactBucketsPrefixesAndTable() {
        String originals = logicalId(synth.stack().storage().originals());
        String generated = logicalId(synth.stack().storage().generated());
        String table = t.onlyId("AWS::DynamoDB::Table");
        List<JsonNode> statements = handlerStatements();
        for (JsonNode s : statements) {
            List<String> actions = list(s.get("Action"));
            JsonNode resources = s.get("Resource");
            actions.forEach(a -> assertFalse(a.endsWith(":*") || a.equals("*"), "wildcard action " + a));
            if (actions.stream().anyMatch(a -> a.startsWith("s3:"))) {
                boolean onOriginals = TemplateJson.references(resources, originals);
                boolean onGenerated = TemplateJson.references(resources, generated);
                // the analytics lake's grants are held by AnalyticsStackTest
                boolean onLake = TemplateJson.references(resources, logicalId(synth.stack().analytics().lake()));
                assertEquals(1, (onOriginals ? 1 : 0) + (onGenerated ? 1 : 0) + (onLake ? 1 : 0),
                        "one bucket per S3 statement: " + s);
                if (onOriginals) {
                    // only the three prefixes the handler writes, never the whole bucket
                    List<JsonNode> each = new ArrayList<>();
                    if (resources.isArray()) {
                        resources.forEach(each::add);
                    } else {
                        each.add(resources);
                    }
                    Set<String> suffixes = each.stream()
                            .map(r -> r.at("/Fn::Join/1/1").asText()).collect(Collectors.toSet());
                    assertTrue(Set.of("/originals/*", "/incoming/*", "/quarantine/*").containsAll(suffixes), suffixes.toString());
                }
            }
            if (actions.stream().anyMatch(a -> a.startsWith("dynamodb:"))) {
                assertTrue(TemplateJson.references(resources, table));
                TemplateJson.strings(resources).stream().filter(x -> x.contains("index"))
                        .forEach(x -> assertEquals("/index/owner-index", x));
                assertFalse(actions.contains("dynamodb:Scan"), "no table scans");
            }
            if (TemplateJson.strings(resources).contains("*") && resources.isTextual()) {
                // the only unscoped grants are the ones whose APIs have no resource-level permissions
                assertTrue(Set.of("xray:PutTraceSegments", "xray:PutTelemetryRecords", "rekognition:DetectModerationLabels")
                        .containsAll(actions), "unscoped: " + actions);
            }
        }
        assertTrue(statements.stream().anyMatch(s -> list(s.get("Action")).contains("s3:PutObject")
                && TemplateJson.references(s.get("Resource"), generated)), "writes variants");
        assertTrue(statements.stream().anyMatch(s -> list(s.get("Action")).contains("dynamodb:PutItem")), "writes records");
        assertTrue(statements.stream().noneMatch(s -> list(s.get("Action")).contains("sagemaker:InvokeEndpoint")));
        // the invalidation grant names this distribution only
        JsonNode invalidation = t.resources().properties().stream()
                .filter(e -> e.getKey().startsWith("HandlerInvalidation")).findFirst().orElseThrow().getValue();
        JsonNode inv = invalidation.at("/Properties/PolicyDocument/Statement/0");
        assertEquals("cloudfront:CreateInvalidation", inv.get("Action").asText());
        assertTrue(TemplateJson.references(inv.get("Resource"), t.onlyId("AWS::CloudFront::Distribution")));
        // the handler learns the distribution id from the SSM parameter its environment names
        // (DistributionIdParameter), the parameter holds the id, and the role may read that parameter only
        String parameterId = t.ofType("AWS::SSM::Parameter").keySet().stream()
                .filter(k -> k.startsWith("DistributionIdParameter")).findFirst().orElseThrow();
        JsonNode parameter = t.resources().get(parameterId).get("Properties");
        assertTrue(TemplateJson.references(parameter.get("Value"), t.onlyId("AWS::CloudFront::Distribution")));
        assertEquals(parameter.get("Name"), handler().at("/Environment/Variables/DISTRIBUTION_ID_PARAMETER"));
        // likewise the origin of the result links in GET /v1/jobs/{id}, and the key that signs them
        String baseId = t.ofType("AWS::SSM::Parameter").keySet().stream()
                .filter(k -> k.startsWith("ResultUrlBaseParameter")).findFirst().orElseThrow();
        JsonNode base = t.resources().get(baseId).get("Properties");
        assertTrue(TemplateJson.references(base.get("Value"), t.onlyId("AWS::CloudFront::Distribution")));
        assertEquals(base.get("Name"), handler().at("/Environment/Variables/RESULT_URL_BASE_PARAMETER"));
        JsonNode links = t.resources().properties().stream()
                .filter(e -> e.getKey().startsWith("HandlerResultLinks")).findFirst().orElseThrow().getValue();
        assertEquals("ssm:GetParameter", links.at("/Properties/PolicyDocument/Statement/0/Action").asText());
        assertTrue(TemplateJson.references(links.at("/Properties/PolicyDocument/Statement/0/Resource"), baseId)
                || TemplateJson.strings(links.at("/Properties/PolicyDocument/Statement/0/Resource")).stream()
                        .anyMatch(x -> x.contains("parameter")), links.toString());
        assertEquals("secretsmanager:GetSecretValue", links.at("/Properties/PolicyDocument/Statement/1/Action").asText());
        JsonNode read = invalidation.at("/Properties/PolicyDocument/Statement/1");
        assertEquals("ssm:GetParameter", read.get("Action").asText());
        assertTrue(TemplateJson.strings(read.get("Resource")).stream().anyMatch(x -> x.contains("parameter"))
                || TemplateJson.references(read.get("Resource"), parameterId), read.toString());
    }

    // ---- API Gateway and the regional WAF ------------------------------------------------------------

    @Test
    void restApiTakesBinaryBodiesAndServesStageProdWithTheDesignedPaths() {
        JsonNode api = t.only("AWS::ApiGateway::RestApi");
        assertEquals(List.of("*/*"), list(api.get("BinaryMediaTypes")));
        JsonNode stage = t.only("AWS::ApiGateway::Stage");
        assertEquals("prod", stage.get("StageName").asText());
        assertTrue(stage.get("TracingEnabled").asBoolean());
        Set<String> parts = t.ofType("AWS::ApiGateway::Resource").values().stream()
                .map(r -> r.get("PathPart").asText()).collect(Collectors.toSet());
        assertEquals(Set.of("v1", "images", "{id}", "{proxy+}", "uploads", "complete", "stats", "jobs", "{jobId}"), parts);
    }

    @Test
    void regionalAclRequiresTheOriginVerifyHeaderFromTheSecretAndGuardsTheStage() {
        String secret = logicalId(synth.stack().security().originVerify());
        JsonNode acl = acl("REGIONAL");
        List<JsonNode> matches = TemplateJson.find(acl.get("Rules"), n -> n.has("ByteMatchStatement")
                && "x-origin-verify".equalsIgnoreCase(n.at("/ByteMatchStatement/FieldToMatch/SingleHeader/Name").asText()));
        assertTrue(matches.size() >= 2, "current and previous value both pass: " + matches.size());
        for (JsonNode m : matches) {
            JsonNode search = m.at("/ByteMatchStatement/SearchString");
            assertTrue(TemplateJson.references(search, secret), "search string is the secret: " + search);
            assertTrue(TemplateJson.strings(search).stream().anyMatch(s -> s.startsWith("{{resolve:secretsmanager:")));
            assertTrue(TemplateJson.strings(search).stream().anyMatch(s -> s.contains(":SecretString:current")));
        }
        // the rules are the waf-rules JSON, every rule, placeholders substituted
        WafRuleSet source = WafRuleSet.load(Synthesized.wafRulesDir().resolve("regional-acl.json"));
        assertEquals(source.size(), acl.get("Rules").size());
        assertNoPlaceholderLeft(acl);
        JsonNode association = t.only("AWS::WAFv2::WebACLAssociation");
        assertTrue(TemplateJson.references(association.get("WebACLArn"), aclId("REGIONAL")));
        assertTrue(TemplateJson.references(association.get("ResourceArn"), t.onlyId("AWS::ApiGateway::Stage"))
                || TemplateJson.strings(association.get("ResourceArn")).stream().anyMatch(s -> s.contains("/stages/")));
    }

    @Test
    void cloudFrontScopeAclFromWafRulesIsAttachedToTheDistributionInUsEast1() {
        JsonNode acl = acl("CLOUDFRONT");
        assertEquals(WafRuleSet.load(Synthesized.wafRulesDir().resolve("cloudfront-acl.json")).size(), acl.get("Rules").size());
        assertNoPlaceholderLeft(acl);
        assertTrue(TemplateJson.references(distribution().get("WebACLId"), aclId("CLOUDFRONT")));
        assertEquals("us-east-1", synth.stack().getRegion());
    }

    // ---- CloudFront ----------------------------------------------------------------------------------

    @Test
    void variantCacheKeyIsThePathOnly() {
        JsonNode behavior = behavior(Cdn.VARIANT_PATH);
        String policyId = behavior.at("/CachePolicyId/Ref").asText();
        JsonNode key = t.resources().get(policyId).at("/Properties/CachePolicyConfig/ParametersInCacheKeyAndForwardedToOrigin");
        assertEquals("none", key.at("/QueryStringsConfig/QueryStringBehavior").asText());
        assertEquals("none", key.at("/HeadersConfig/HeaderBehavior").asText());
        assertEquals("none", key.at("/CookiesConfig/CookieBehavior").asText());
        assertFalse(key.get("EnableAcceptEncodingGzip").asBoolean());
        assertFalse(key.get("EnableAcceptEncodingBrotli").asBoolean());
        List<String> named = TemplateJson.strings(key);
        for (String never : List.of("Expires", "Policy", "Signature", "Key-Pair-Id", "Hash-Algorithm", "Accept")) {
            assertFalse(named.stream().anyMatch(s -> s.equalsIgnoreCase(never)), never + " must not be in the key");
        }
        // no origin request policy either: the bucket and the fallback see only the path
        assertFalse(behavior.has("OriginRequestPolicyId"));
        assertEquals(List.of("GET", "HEAD"), list(behavior.get("AllowedMethods")));
    }

    @Test
    void variantGetsGoToAnOriginGroupBucketViaOacFirstApiOn403And404() {
        JsonNode dist = distribution();
        JsonNode group = dist.at("/OriginGroups/Items/0");
        assertEquals(behavior(Cdn.VARIANT_PATH).get("TargetOriginId").asText(), group.get("Id").asText());
        assertEquals(List.of(403, 404), StreamSupport.stream(elements(group.at("/FailoverCriteria/StatusCodes/Items")), false)
                .map(JsonNode::asInt).toList());
        JsonNode primary = origin(group.at("/Members/Items/0/OriginId").asText());
        JsonNode fallback = origin(group.at("/Members/Items/1/OriginId").asText());
        assertTrue(TemplateJson.references(primary.get("DomainName"), logicalId(synth.stack().storage().generated())));
        String oac = t.onlyId("AWS::CloudFront::OriginAccessControl");
        assertTrue(TemplateJson.references(primary.get("OriginAccessControlId"), oac));
        JsonNode oacConfig = t.only("AWS::CloudFront::OriginAccessControl").get("OriginAccessControlConfig");
        assertEquals("s3", oacConfig.get("OriginAccessControlOriginType").asText());
        assertEquals("always", oacConfig.get("SigningBehavior").asText());
        assertEquals("sigv4", oacConfig.get("SigningProtocol").asText());
        // both origins see /{id}/{transform}.{fmt}: the API origin restores the prefix with its origin path
        assertEquals("/prod/v1/images", fallback.get("OriginPath").asText());
        assertTrue(TemplateJson.references(fallback.get("DomainName"), t.onlyId("AWS::ApiGateway::RestApi")));
        assertEquals("", primary.path("OriginPath").asText());
        List<String> fallbackHeaders = new ArrayList<>();
        fallback.get("OriginCustomHeaders").forEach(h -> fallbackHeaders.add(h.get("HeaderName").asText() + ": "
                + (h.get("HeaderValue").isTextual() ? h.get("HeaderValue").asText() : "<secret>")));
        assertTrue(fallbackHeaders.contains("Accept: */*"), "binary bodies from the failover: " + fallbackHeaders);
    }

    @Test
    void onlyTheDistributionMayReadTheGeneratedBucketAndNobodyTheOriginalsThroughCloudFront() {
        String dist = t.onlyId("AWS::CloudFront::Distribution");
        for (Map.Entry<String, JsonNode> e : t.ofType("AWS::S3::BucketPolicy").entrySet()) {
            List<JsonNode> cf = TemplateJson.find(e.getValue(), n -> "cloudfront.amazonaws.com".equals(n.at("/Principal/Service").asText()));
            boolean generatedBucket = TemplateJson.references(e.getValue().get("Bucket"), logicalId(synth.stack().storage().generated()));
            assertEquals(generatedBucket ? 1 : 0, cf.size(), e.getKey());
            for (JsonNode s : cf) {
                assertEquals("s3:GetObject", s.get("Action").asText());
                assertTrue(TemplateJson.references(s.at("/Condition/StringEquals/AWS:SourceArn"), dist));
            }
        }
    }

    @Test
    void everyApiGatewayOriginSendsTheOriginVerifyHeaderFromTheSecret() {
        String secret = logicalId(synth.stack().security().originVerify());
        List<JsonNode> apiOrigins = new ArrayList<>();
        distribution().get("Origins").forEach(o -> {
            if (TemplateJson.references(o.get("DomainName"), t.onlyId("AWS::ApiGateway::RestApi"))) {
                apiOrigins.add(o);
            }
        });
        assertEquals(2, apiOrigins.size());
        for (JsonNode o : apiOrigins) {
            JsonNode header = TemplateJson.find(o.get("OriginCustomHeaders"),
                    h -> "X-Origin-Verify".equals(h.path("HeaderName").asText())).getFirst();
            assertTrue(TemplateJson.references(header.get("HeaderValue"), secret));
            assertEquals("https-only", o.at("/CustomOriginConfig/OriginProtocolPolicy").asText());
        }
        JsonNode def = distribution().get("DefaultCacheBehavior");
        assertEquals("/prod", origin(def.get("TargetOriginId").asText()).get("OriginPath").asText());
        assertEquals(7, def.get("AllowedMethods").size(), "uploads and deletes pass through");
        assertEquals("4135ea2d-6df8-44a3-9df3-4b5a84be39ad", def.get("CachePolicyId").asText(), "Managed-CachingDisabled");
    }

    @Test
    void originalAndMetadataPrecedeTheVariantPatternAndSignedUrlsGuardThePixels() {
        List<String> order = StreamSupport.stream(elements(distribution().get("CacheBehaviors")), false)
                .map(b -> b.get("PathPattern").asText()).toList();
        assertEquals(List.of("/v1/images/*/original", "/v1/images/*/metadata", "/v1/images/*/jobs", "/v1/images/*/*",
                "/processed/*"), order);
        String keyGroup = t.onlyId("AWS::CloudFront::KeyGroup");
        distribution().get("CacheBehaviors").forEach(b -> {
            String pattern = b.get("PathPattern").asText();
            if (pattern.endsWith("/metadata") || pattern.endsWith("/jobs")) {
                // The owner's record and job submissions: a bearer token is checked, no signed URL is needed.
                assertTrue(b.get("TrustedKeyGroups") == null, pattern);
            } else {
                assertTrue(TemplateJson.references(b.get("TrustedKeyGroups"), keyGroup), pattern);
            }
        });
        JsonNode key = t.only("AWS::CloudFront::PublicKey");
        assertEquals("SignerPublicKeyPem", key.at("/PublicKeyConfig/EncodedKey/Ref").asText());
        assertTrue(t.root().at("/Parameters/SignerPublicKeyPem").isObject());
        assertTrue(TemplateJson.references(t.only("AWS::CloudFront::KeyGroup"), t.onlyId("AWS::CloudFront::PublicKey")));
    }

    @Test
    void variantFunctionRunsOnViewerRequest() {
        JsonNode fn = t.only("AWS::CloudFront::Function");
        assertEquals("cloudfront-js-2.0", fn.at("/FunctionConfig/Runtime").asText());
        assertTrue(fn.get("AutoPublish").asBoolean());
        // the code the local edge runs (and CloudFrontFunctionTableTest runs from this template) is what is deployed
        assertEquals(read(RepoLayout.discover().variantRequestFunction()), fn.get("FunctionCode").asText());
        JsonNode association = behavior(Cdn.VARIANT_PATH).at("/FunctionAssociations/0");
        assertEquals("viewer-request", association.get("EventType").asText());
        assertTrue(TemplateJson.references(association, t.onlyId("AWS::CloudFront::Function")));
    }

    // ---- rotation, monitoring, assembly --------------------------------------------------------------

    @Test
    void originVerifySecretRotatesMonthlyThroughTheRotatorScopedToTheAclAndDistribution() {
        JsonNode schedule = rotationOf(logicalId(synth.stack().security().originVerify()));
        assertEquals("rate(30 days)", schedule.at("/RotationRules/ScheduleExpression").asText());
        String rotator = logicalId(synth.stack().rotation().function());
        assertTrue(TemplateJson.references(schedule.get("RotationLambdaARN"), rotator));
        JsonNode env = t.resources().get(rotator).at("/Properties/Environment/Variables");
        assertEquals(String.join(",", WafRuleSet.load(Synthesized.wafRulesDir().resolve("regional-acl.json"))
                .originVerifySlots("X-Origin-Verify")), env.get("SLOT_ORDER").asText());
        assertTrue(env.get("SLOT_ORDER").asText().contains("current"));
        List<JsonNode> statements = new ArrayList<>();
        t.ofType("AWS::IAM::Policy").values().stream()
                .filter(p -> TemplateJson.references(p.get("Roles"), logicalId(synth.stack().rotation().function().getRole())))
                .forEach(p -> p.at("/PolicyDocument/Statement").forEach(statements::add));
        JsonNode waf = statements.stream().filter(s -> list(s.get("Action")).contains("wafv2:GetWebACL")).findFirst().orElseThrow();
        assertTrue(TemplateJson.references(waf.get("Resource"), aclId("REGIONAL")));
        JsonNode cf = statements.stream().filter(s -> list(s.get("Action")).contains("cloudfront:UpdateDistribution")).findFirst().orElseThrow();
        assertTrue(TemplateJson.references(cf.get("Resource"), t.onlyId("AWS::CloudFront::Distribution")));
    }

    private JsonNode rotationOf(String secretId) {
        return t.ofType("AWS::SecretsManager::RotationSchedule").values().stream()
                .filter(r -> TemplateJson.references(r.get("SecretId"), secretId)).findFirst().orElseThrow();
    }

    @Test
    void webhookKeyRotatesEveryNinetyDaysThroughItsOwnRotator() {
        JsonNode schedule = rotationOf(logicalId(synth.stack().api().webhookSecret()));
        assertEquals("rate(90 days)", schedule.at("/RotationRules/ScheduleExpression").asText());
        String rotator = t.ofType("AWS::Lambda::Function").entrySet().stream()
                .filter(e -> "webhook_secret_rotation.handler".equals(e.getValue().path("Handler").asText()))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        assertTrue(TemplateJson.references(schedule.get("RotationLambdaARN"), rotator));
        assertTrue(Files.isRegularFile(RepoLayout.discover().rotationCode().resolve("webhook_secret_rotation.py")));
    }

    @Test
    void accessLogsOfTheBucketsTheDistributionAndTheApiAreKept() {
        String logs = logicalId(synth.stack().storage().logs());
        JsonNode logBucket = t.resources().get(logs).get("Properties");
        assertEquals(Storage.ACCESS_LOG_DAYS, logBucket.at("/LifecycleConfiguration/Rules/0/ExpirationInDays").asInt());
        assertEquals("BucketOwnerPreferred", logBucket.at("/OwnershipControls/Rules/0/ObjectOwnership").asText(),
                "CloudFront's standard logs need ACLs");
        for (var bucket : List.of(synth.stack().storage().originals(), synth.stack().storage().generated())) {
            JsonNode logging = t.resources().get(logicalId(bucket)).at("/Properties/LoggingConfiguration");
            assertTrue(TemplateJson.references(logging.get("DestinationBucketName"), logs), logging.toString());
        }
        // CloudFront's standard logs go to the analytics lake (hit counts beside the events); the lake's own
        // S3 access logs to the access-log bucket
        JsonNode cf = t.only("AWS::CloudFront::Distribution").at("/DistributionConfig/Logging");
        String lake = logicalId(synth.stack().analytics().lake());
        assertTrue(TemplateJson.references(cf.get("Bucket"), lake), cf.toString());
        assertEquals("cloudfront/", cf.get("Prefix").asText());
        assertTrue(TemplateJson.references(t.resources().get(lake).at("/Properties/LoggingConfiguration/DestinationBucketName"),
                logs));
        JsonNode stage = t.only("AWS::ApiGateway::Stage");
        assertTrue(stage.at("/AccessLogSetting/DestinationArn").isObject(), stage.toString());
        assertEquals("ERROR", stage.at("/MethodSettings/0/LoggingLevel").asText());
        assertEquals("/*", stage.at("/MethodSettings/0/ResourcePath").asText(), "every resource");
        assertEquals("*", stage.at("/MethodSettings/0/HttpMethod").asText(), "every method");
        // this app's functions write to their own log group only, not through AWSLambdaBasicExecutionRole
        for (var fn : List.of(synth.stack().api().function(), synth.stack().uploadProcessing().function(),
                synth.stack().rotation().function())) {
            JsonNode role = t.resources().get(logicalId(fn.getRole())).get("Properties");
            assertTrue(role.path("ManagedPolicyArns").isMissingNode(), role.toString());
        }
    }

    @Test
    void uploadersMayAddATotpSecondFactorAndThreatProtectionIsEnforced() {
        JsonNode pool = t.only("AWS::Cognito::UserPool");
        assertEquals("OPTIONAL", pool.get("MfaConfiguration").asText());
        assertEquals(List.of("SOFTWARE_TOKEN_MFA"), list(pool.get("EnabledMfas")));
        assertEquals("ENFORCED", pool.at("/UserPoolAddOns/AdvancedSecurityMode").asText());
        assertEquals("PLUS", pool.get("UserPoolTier").asText());
    }

    @Test
    void alarmsCover5xxLatencyThrottlesAndWafBlocksButNotSrWithoutTheFlag() {
        Map<String, JsonNode> alarms = t.ofType("AWS::CloudWatch::Alarm");
        Set<String> metrics = alarms.values().stream().map(a -> metric(a).get("Namespace").asText() + "/" + metric(a).get("MetricName").asText())
                .collect(Collectors.toSet());
        assertEquals(Set.of("AWS/ApiGateway/5XXError", "AWS/CloudFront/5xxErrorRate", "AWS/ApiGateway/Latency",
                "AWS/Lambda/Throttles", "AWS/WAFV2/BlockedRequests", "AWS/SQS/ApproximateNumberOfMessagesVisible",
                "AWS/SQS/ApproximateAgeOfOldestMessage"), metrics);
        assertTrue(alarms.values().stream().anyMatch(a -> "Latency".equals(metric(a).get("MetricName").asText())
                && "p99".equals(a.at("/Metrics/0/MetricStat/Stat").asText())));
        assertEquals(2, alarms.values().stream().filter(a -> "BlockedRequests".equals(metric(a).get("MetricName").asText())).count());
        JsonNode edge = alarms.values().stream().filter(a -> "5xxErrorRate".equals(metric(a).get("MetricName").asText())).findFirst().orElseThrow();
        assertTrue(metric(edge).toString().contains("Global"), "CloudFront metrics carry Region=Global");
        String topic = t.onlyId("AWS::SNS::Topic");
        alarms.values().forEach(a -> assertTrue(TemplateJson.references(a.get("AlarmActions"), topic)));
        assertNotNull(t.only("AWS::CloudWatch::Dashboard"));
        assertTrue(t.ofType("AWS::SageMaker::Endpoint").isEmpty());
        assertTrue(t.ofType("AWS::SageMaker::Model").isEmpty());
        assertTrue(t.ofType("AWS::ApplicationAutoScaling::ScalableTarget").isEmpty());
    }

    @Test
    void synthWritesTheCloudAssemblyThatCdkDeployUploads() throws Exception {
        var assembly = synth.app().synth();
        var file = java.nio.file.Path.of(assembly.getDirectory(), "ImageScaler.template.json");
        assertTrue(Files.isRegularFile(file));
        assertTrue(Files.readString(file).contains("\"java25\""));
        assertTrue(Files.isRegularFile(java.nio.file.Path.of(assembly.getDirectory(), "ImageScaler.assets.json")));
    }

    @Test
    void synthesizesWithoutWarningsOrErrors() {
        var annotations = software.amazon.awscdk.assertions.Annotations.fromStack(synth.stack());
        annotations.hasNoError("*", software.amazon.awscdk.assertions.Match.anyValue());
        annotations.hasNoWarning("*", software.amazon.awscdk.assertions.Match.anyValue());
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /** An alarm's metric, whether CDK rendered it flat or as a one-entry Metrics list (labelled metrics). */
    static JsonNode metric(JsonNode alarm) {
        return alarm.has("MetricName") ? alarm : alarm.at("/Metrics/0/MetricStat/Metric");
    }

    private static String read(java.nio.file.Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertNoPlaceholderLeft(JsonNode node) {
        TemplateJson.strings(node).forEach(s -> assertFalse(s.matches("(?s).*\\{\\{[A-Z_]+}}.*"), "unreplaced placeholder " + s));
    }

    static String logicalId(software.constructs.IConstruct construct) {
        return LogicalIds.logicalId(synth, construct);
    }

    private static JsonNode handler() {
        return t.resources().get(logicalId(synth.stack().api().function())).get("Properties");
    }

    private static String processorId() {
        return logicalId(synth.stack().uploadProcessing().function());
    }

    private static List<JsonNode> handlerStatements() {
        return statementsOf(synth.stack().api().function().getRole());
    }

    private static List<JsonNode> statementsOf(software.amazon.awscdk.services.iam.IRole fnRole) {
        String role = logicalId(fnRole);
        List<JsonNode> out = new ArrayList<>();
        t.ofType("AWS::IAM::Policy").values().stream()
                .filter(p -> TemplateJson.references(p.get("Roles"), role))
                .forEach(p -> p.at("/PolicyDocument/Statement").forEach(out::add));
        return out;
    }

    private static JsonNode distribution() {
        return t.only("AWS::CloudFront::Distribution").get("DistributionConfig");
    }

    private static JsonNode behavior(String pattern) {
        for (JsonNode b : distribution().get("CacheBehaviors")) {
            if (pattern.equals(b.get("PathPattern").asText())) {
                return b;
            }
        }
        throw new AssertionError("no behaviour " + pattern);
    }

    private static JsonNode origin(String id) {
        for (JsonNode o : distribution().get("Origins")) {
            if (id.equals(o.get("Id").asText())) {
                return o;
            }
        }
        throw new AssertionError("no origin " + id);
    }

    private static String aclId(String scope) {
        return t.ofType("AWS::WAFv2::WebACL").entrySet().stream()
                .filter(e -> scope.equals(e.getValue().get("Scope").asText())).findFirst().orElseThrow().getKey();
    }

    private static JsonNode acl(String scope) {
        return t.resources().get(aclId(scope)).get("Properties");
    }

    private static Map<String, JsonNode> rulesById(JsonNode bucketProperties) {
        Map<String, JsonNode> out = new java.util.HashMap<>();
        bucketProperties.at("/LifecycleConfiguration/Rules").forEach(r -> out.put(r.get("Id").asText(), r));
        return out;
    }

    static List<String> list(JsonNode node) {
        if (node == null) {
            return List.of();
        }
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        return StreamSupport.stream(node.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static java.util.Spliterator<JsonNode> elements(JsonNode node) {
        return node.spliterator();
    }

}
