package io.imagescaler.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/** cdk-nag's AwsSolutions pack over the whole app: no unsuppressed error or warning. */
class CdkNagTest {
    @Test
    void awsSolutionsChecksFindNothingUnsuppressed() {
        Map<String, Object> context = new HashMap<>();
        context.put("account", "123456789012");
        context.put("handlerAsset", Synthesized.placeholderHandlerAsset().toString());
        context.put("wafRulesDir", Synthesized.wafRulesDir().toString());
        App app = new App(AppProps.builder().context(context)
                .outdir(Synthesized.TARGET.resolve("cdk.out-nag").toString()).build());
        ImageScalerStack stack = io.imagescaler.cdk.App.build(app);
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        app.synth();
        Annotations a = Annotations.fromStack(stack);
        List<SynthesisMessage> findings = new java.util.ArrayList<>();
        findings.addAll(a.findError("*", Match.stringLikeRegexp("AwsSolutions-.*")));
        findings.addAll(a.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")));
        String report = findings.stream().map(m -> m.getId() + " " + m.getEntry().getData())
                .collect(Collectors.joining("\n"));
        assertEquals("", report);
    }
}
