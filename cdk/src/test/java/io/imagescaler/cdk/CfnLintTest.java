package io.imagescaler.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * AWS's CloudFormation linter ({@code cfn-lint}, checked against the resource specifications) over the templates
 * the app synthesizes: the default deployment, the one with the SR endpoint and email, and the two Kafka entries. Skipped, with the
 * reason printed, where cfn-lint is not installed. W3005 (a DependsOn also implied by a GetAtt) is CDK's own
 * doing: it orders each function after its role's policy.
 */
class CfnLintTest {
    @Test
    void synthesizedTemplatesPassCfnLint() throws Exception {
        List<String> command = cfnLint();
        assumeTrue(command != null, "cfn-lint is not installed (pip install cfn-lint)");
        List<Path> templates = List.of(template("lint-default", Map.of()),
                template("lint-sr", Map.of("sr", "true", "mailFrom", "uploads@example.org")),
                template("lint-kafka-msk", JobsAndEventsStackTest.MSK_IN_VPC),
                template("lint-kafka-self", Map.of("kafka", "self:b1.example.org:9096",
                        "kafkaSecretArn", JobsAndEventsStackTest.BROKER_SECRET)));
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of("--ignore-checks", "W3005", "--"));
        templates.forEach(t -> args.add(t.toString()));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "cfn-lint did not finish");
        assertEquals(0, p.exitValue(), out);
        System.out.println("CfnLintTest: " + String.join(" ", command) + " passed " + templates.size() + " templates");
    }

    private static Path template(String name, Map<String, Object> context) {
        Synthesized s = Synthesized.with(name, context);
        Path file = s.outdir().resolve(App.STACK_NAME + ".template.json");
        assertTrue(Files.isRegularFile(file), file + " was not written");
        return file;
    }

    /** {@code cfn-lint} on the PATH, else Python 3.11's module; null if neither runs. */
    private static List<String> cfnLint() {
        String runner = "import sys; from cfnlint.runner import main; sys.exit(main())";
        for (List<String> c : List.of(List.of("cfn-lint"), List.of("python3.11", "-c", runner),
                List.of("python3", "-c", runner))) {
            List<String> version = new ArrayList<>(c);
            version.add("--version");
            try {
                Process p = new ProcessBuilder(version).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("(?s).*\\d+\\.\\d+\\.\\d+.*")) {
                    return c;
                }
            } catch (IOException | InterruptedException e) {
                // try the next spelling
            }
        }
        System.out.println("CfnLintTest: skipped, cfn-lint is not installed");
        return null;
    }
}
