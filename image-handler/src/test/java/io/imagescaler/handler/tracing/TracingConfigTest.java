package io.imagescaler.handler.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingConfigTest {

    @Test
    void onLambdaWithActiveTracingItTracesByDefaultAndNowhereElse() {
        TracingConfig lambda = TracingConfig.fromEnvironment(Map.of("LAMBDA_TASK_ROOT", "/var/task",
                "AWS_XRAY_DAEMON_ADDRESS", "169.254.79.129:2000")::get);
        assertTrue(lambda.xray());
        assertTrue(lambda.insideLambda());
        assertEquals("169.254.79.129:2000", lambda.daemonAddress());

        TracingConfig elsewhere = TracingConfig.fromEnvironment(Map.<String, String>of()::get);
        assertFalse(elsewhere.xray());
        assertFalse(elsewhere.insideLambda());
        assertEquals("127.0.0.1:2000", elsewhere.daemonAddress());
        assertTrue(elsewhere.emf());
        assertEquals("ImageScaler", elsewhere.namespace());
    }

    @Test
    void explicitSettingsWinAndNonsenseIsRefusedByName() {
        TracingConfig local = TracingConfig.fromEnvironment(Map.of("TRACING", "xray", "METRICS", "off",
                "AWS_XRAY_DAEMON_ADDRESS", "127.0.0.1:2999", "METRICS_NAMESPACE", "Images/Test")::get);
        assertTrue(local.xray());
        assertFalse(local.emf());
        assertEquals("127.0.0.1:2999", local.daemonAddress());
        assertEquals("Images/Test", local.namespace());

        var tracing = assertThrows(IllegalArgumentException.class,
                () -> TracingConfig.fromEnvironment(Map.of("TRACING", "on")::get));
        assertTrue(tracing.getMessage().contains("TRACING"), tracing.getMessage());
        var address = assertThrows(IllegalArgumentException.class,
                () -> TracingConfig.fromEnvironment(Map.of("AWS_XRAY_DAEMON_ADDRESS", "localhost")::get));
        assertTrue(address.getMessage().contains("AWS_XRAY_DAEMON_ADDRESS"), address.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> TracingConfig.fromEnvironment(Map.of("METRICS", "statsd")::get));
    }
}
