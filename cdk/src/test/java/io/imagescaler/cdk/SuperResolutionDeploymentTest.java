package io.imagescaler.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A deployment with {@code -c sr=true}, the signer key from a PEM file and a 3-day variant expiry:
 * the SR endpoint and everything that depends on it appear, the context values reach the template.
 */
class SuperResolutionDeploymentTest {
    static Synthesized synth;
    static TemplateJson t;
    static String pem;

    @BeforeAll
    static void synthesize() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(rsa.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Path key = Synthesized.TARGET.resolve("test-signer-public.pem");
        Files.createDirectories(key.getParent());
        Files.writeString(key, pem);
        synth = Synthesized.with("sr", Map.of(
                "sr", "true",
                "signerPublicKeyFile", key.toString(),
                "generatedExpiryDays", "3",
                "handlerMemoryMb", "4096",
                "srMaxInstances", "3",
                "arch", "arm64",
                "avifEffort", "3"));
        t = TemplateJson.of(synth.template());
    }

    @Test
    void srEndpointRunsOnAGpuInstanceWithAutoscaling() {
        JsonNode config = t.only("AWS::SageMaker::EndpointConfig");
        JsonNode variant = config.at("/ProductionVariants/0");
        assertEquals("ml.g5.xlarge", variant.get("InstanceType").asText());
        assertEquals("AllTraffic", variant.get("VariantName").asText());
        JsonNode containerEnv = t.only("AWS::SageMaker::Model").at("/PrimaryContainer/Environment");
        assertEquals("gpu", containerEnv.get("SR_DEVICE").asText());
        assertEquals("fp16", containerEnv.get("SR_PRECISION").asText());
        assertTrue(TemplateJson.references(variant.get("ModelName"), t.onlyId("AWS::SageMaker::Model")));
        JsonNode endpoint = t.only("AWS::SageMaker::Endpoint");
        assertEquals("ImageScaler-sr", endpoint.get("EndpointName").asText());
        assertTrue(TemplateJson.references(endpoint.get("EndpointConfigName"), t.onlyId("AWS::SageMaker::EndpointConfig")));

        JsonNode target = t.only("AWS::ApplicationAutoScaling::ScalableTarget");
        assertEquals("sagemaker", target.get("ServiceNamespace").asText());
        assertEquals("endpoint/ImageScaler-sr/variant/AllTraffic", target.get("ResourceId").asText());
        assertEquals("sagemaker:variant:DesiredInstanceCount", target.get("ScalableDimension").asText());
        assertEquals(1, target.get("MinCapacity").asInt());
        assertEquals(3, target.get("MaxCapacity").asInt());
        JsonNode policy = t.only("AWS::ApplicationAutoScaling::ScalingPolicy");
        assertEquals("SageMakerVariantInvocationsPerInstance",
                policy.at("/TargetTrackingScalingPolicyConfiguration/PredefinedMetricSpecification/PredefinedMetricType").asText());
        // the scalable target can only register once the endpoint exists
        JsonNode targetResource = t.resources().get(t.onlyId("AWS::ApplicationAutoScaling::ScalableTarget"));
        assertTrue(targetResource.get("DependsOn").toString().contains(t.onlyId("AWS::SageMaker::Endpoint")));
    }

    @Test
    void handlerKnowsTheEndpointAndMayInvokeOnlyIt() {
        String fn = LogicalIds.logicalId(synth, synth.stack().api().function());
        JsonNode env = t.resources().get(fn).at("/Properties/Environment/Variables");
        assertEquals("ImageScaler-sr", env.get("SR_ENDPOINT_NAME").asText());
        assertEquals("3", env.get("AVIF_EFFORT").asText(), "-c avifEffort reaches the handler");
        assertFalse(env.has("WEBP_EFFORT"), "unset: the handler's default");
        assertEquals(4096, t.resources().get(fn).at("/Properties/MemorySize").asInt());
        String role = LogicalIds.logicalId(synth, synth.stack().api().function().getRole());
        List<JsonNode> invoke = new ArrayList<>();
        t.ofType("AWS::IAM::Policy").values().stream().filter(p -> TemplateJson.references(p.get("Roles"), role))
                .forEach(p -> p.at("/PolicyDocument/Statement").forEach(s -> {
                    if (ImageScalerStackTest.list(s.get("Action")).contains("sagemaker:InvokeEndpoint")) {
                        invoke.add(s);
                    }
                }));
        assertEquals(1, invoke.size());
        String resource = TemplateJson.strings(invoke.get(0).get("Resource")).toString();
        assertTrue(resource.contains(":endpoint/imagescaler-sr"), resource);
        assertFalse(resource.contains("*"), resource);
    }

    @Test
    void srErrorsHaveAnAlarmAndADashboardWidget() {
        List<JsonNode> sr = t.ofType("AWS::CloudWatch::Alarm").values().stream()
                .filter(a -> "AWS/SageMaker".equals(ImageScalerStackTest.metric(a).path("Namespace").asText())).toList();
        assertEquals(1, sr.size());
        assertEquals("Invocation5XXErrors", ImageScalerStackTest.metric(sr.get(0)).get("MetricName").asText());
        assertTrue(t.only("AWS::CloudWatch::Dashboard").toString().contains("Invocation5XXErrors"));
    }

    @Test
    void contextValuesReachTheTemplate() {
        JsonNode key = t.only("AWS::CloudFront::PublicKey");
        assertEquals(pem, key.at("/PublicKeyConfig/EncodedKey").asText());
        assertFalse(t.root().path("Parameters").has("SignerPublicKeyPem"), "no parameter when the PEM comes from a file");
        JsonNode generated = t.resources().get(LogicalIds.logicalId(synth, synth.stack().storage().generated()));
        List<Integer> days = new ArrayList<>();
        generated.at("/Properties/LifecycleConfiguration/Rules").forEach(r -> {
            if (r.has("ExpirationInDays")) {
                days.add(r.get("ExpirationInDays").asInt());
            }
        });
        // variants and (capped at the same 3 days: the bucket-wide rule would delete them then) job results
        assertEquals(List.of(3, 3), days);
        // -c arch=arm64: the API function, the processor and the job worker on Graviton (the jar carries libvips for aarch64 too)
        List<String> architectures = new ArrayList<>();
        t.resources().forEach(r -> {
            if (r.path("Type").asText().equals("AWS::Lambda::Function") && r.at("/Properties/Runtime").asText().equals("java25")) {
                architectures.add(r.at("/Properties/Architectures/0").asText());
            }
        });
        assertEquals(List.of("arm64", "arm64", "arm64"), architectures);
    }
}
