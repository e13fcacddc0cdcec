package io.imagescaler.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs the rotation Lambdas' Python tests (src/test/python) against moto's Secrets Manager, WAFv2 and
 * CloudFront served on 127.0.0.1, with the regional rules this module deploys. Skipped where python3 with
 * boto3 and moto is not installed.
 */
class OriginVerifyRotationTest {

    @Test
    void rotationKeepsPreviousAndCurrentPassingAndSwitchesCloudFront() throws Exception {
        Assumptions.assumeTrue(run(new ProcessBuilder("python3", "-c", "import boto3, moto, flask"), null) == 0,
                "python3 with boto3 and moto[server] is not installed");
        Path log = Path.of("target/rotation-test.log").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("python3", "-m", "unittest", "-v", "test_origin_verify_rotation")
                .directory(Path.of("src/test/python").toFile());
        pb.environment().put("WAF_RULES", Synthesized.wafRulesDir().resolve("regional-acl.json").toString());
        pb.environment().put("ROTATION_CODE", RepoLayout.discover().rotationCode().toString());
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        int rc = run(pb, log);
        String output = Files.readString(log);
        assertEquals(0, rc, output.lines().filter(l -> !l.contains("HTTP/1.1")).reduce("", (a, b) -> a + "\n" + b));
    }

    @Test
    void webhookKeyRotationMakesANewCurrentKeyAndKeepsThePreviousOne() throws Exception {
        Assumptions.assumeTrue(run(new ProcessBuilder("python3", "-c", "import boto3, moto, flask"), null) == 0,
                "python3 with boto3 and moto[server] is not installed");
        Path log = Path.of("target/webhook-rotation-test.log").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("python3", "-m", "unittest", "-v", "test_webhook_secret_rotation")
                .directory(Path.of("src/test/python").toFile());
        pb.environment().put("ROTATION_CODE", RepoLayout.discover().rotationCode().toString());
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        int rc = run(pb, log);
        String output = Files.readString(log);
        assertEquals(0, rc, output.lines().filter(l -> !l.contains("HTTP/1.1")).reduce("", (a, b) -> a + "\n" + b));
    }

    private static int run(ProcessBuilder pb, Path log) throws IOException, InterruptedException {
        if (log != null) {
            Files.createDirectories(log.getParent());
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
        } else {
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return -1;
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return -2;
        }
        return p.exitValue();
    }
}
