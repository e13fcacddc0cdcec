package io.imagescaler.cdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

/**
 * One synthesized app for a test class (jsii starts node, so each synth costs seconds: classes share one).
 * Needs no AWS account: the account is a fixed dummy and nothing is looked up.
 */
record Synthesized(App app, ImageScalerStack stack, Template template, Path outdir) {
    static final Path TARGET = Path.of("target").toAbsolutePath();

    static Synthesized with(String name, Map<String, Object> extraContext) {
        Map<String, Object> context = new HashMap<>();
        context.put("account", "123456789012");
        context.put("handlerAsset", placeholderHandlerAsset().toString());
        context.put("wafRulesDir", wafRulesDir().toString());
        context.putAll(extraContext);
        Path outdir = TARGET.resolve("cdk.out-" + name);
        App app = new App(AppProps.builder().context(context).outdir(outdir.toString()).build());
        ImageScalerStack stack = io.imagescaler.cdk.App.build(app);
        return new Synthesized(app, stack, Template.fromStack(stack), outdir);
    }

    /**
     * The real jar exists only after {@code mvn package -pl image-handler}; the tests assert on the
     * template, not the code, so they deploy a labelled placeholder directory instead and never depend on
     * the build order.
     */
    static Path placeholderHandlerAsset() {
        Path dir = TARGET.resolve("placeholder-handler-asset");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("PLACEHOLDER.txt"),
                    "PLACEHOLDER for cdk tests only - not the image-handler Lambda.\n"
                            + "Deployments use image-handler/target/image-handler-lambda.jar.\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** waf-rules/ when that module has written its JSON, else this module's stand-in copy. */
    static Path wafRulesDir() {
        Path real = RepoLayout.discover().wafRulesDir();
        if (Files.isRegularFile(real.resolve("regional-acl.json")) && Files.isRegularFile(real.resolve("cloudfront-acl.json"))) {
            return real;
        }
        return Path.of("src/test/resources/waf").toAbsolutePath();
    }
}
