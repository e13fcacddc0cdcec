package io.imagescaler.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/**
 * cdk-nag's AwsSolutions pack over the whole app, as {@code cdk synth} applies it ({@link io.imagescaler.cdk.App#checked}):
 * no unsuppressed error or warning, in the default deployment, with the SR endpoint, with a custom domain
 * (where the TLS finding is fixed rather than suppressed), and with either Kafka entry.
 */
class CdkNagTest {
    static final String CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100";

    static Stream<Arguments> deployments() {
        return Stream.of(
                Arguments.of("default", Map.of()),
                Arguments.of("sr-mail", Map.of("sr", "true", "mailFrom", "uploads@example.org")),
                Arguments.of("domain", Map.of("domainName", "images.example.org", "certificateArn", CERT)),
                Arguments.of("kafka-msk", JobsAndEventsStackTest.MSK_IN_VPC),
                Arguments.of("kafka-self", JobsAndEventsStackTest.SELF_IN_VPC));
    }

    record Checked(ImageScalerStack stack, Template template) {
    }

    static Checked synth(String name, Map<String, Object> extra) {
        Map<String, Object> context = new HashMap<>();
        context.put("account", "123456789012");
        context.put("handlerAsset", Synthesized.placeholderHandlerAsset().toString());
        context.put("wafRulesDir", Synthesized.wafRulesDir().toString());
        context.putAll(extra);
        App app = new App(AppProps.builder().context(context)
                .outdir(Synthesized.TARGET.resolve("cdk.out-nag-" + name).toString()).build());
        ImageScalerStack stack = io.imagescaler.cdk.App.build(app);
        io.imagescaler.cdk.App.checked(app);
        app.synth();
        return new Checked(stack, Template.fromStack(stack));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deployments")
    void awsSolutionsChecksFindNothingUnsuppressed(String name, Map<String, Object> context) {
        Checked checked = synth(name, context);
        Annotations a = Annotations.fromStack(checked.stack());
        List<SynthesisMessage> findings = new ArrayList<>();
        findings.addAll(a.findError("*", Match.stringLikeRegexp("AwsSolutions-.*")));
        findings.addAll(a.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")));
        String report = findings.stream().map(m -> m.getId() + " " + m.getEntry().getData())
                .collect(Collectors.joining("\n"));
        assertEquals("", report);
    }

    @Test
    void aCustomDomainRequiresTls12AndTheDefaultNameSaysWhyItCannot() {
        JsonNode custom = TemplateJson.of(synth("domain-tls", Map.of("domainName", "images.example.org",
                "certificateArn", CERT)).template()).only("AWS::CloudFront::Distribution");
        assertEquals("TLSv1.2_2021", custom.at("/DistributionConfig/ViewerCertificate/MinimumProtocolVersion").asText());
        assertEquals("sni-only", custom.at("/DistributionConfig/ViewerCertificate/SslSupportMethod").asText());
        assertEquals(CERT, custom.at("/DistributionConfig/ViewerCertificate/AcmCertificateArn").asText());
        assertEquals("images.example.org", custom.at("/DistributionConfig/Aliases/0").asText());
    }
}
