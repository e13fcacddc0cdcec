package io.imagescaler.handler.cdn.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** SSM is asked only on AWS, only when named, and never over an explicit value (no SSM call is made here). */
class SsmParametersTest {

    @Test
    void withoutAParameterTheEnvironmentIsUnchanged() {
        Function<String, String> env = Map.of("AWS_REGION", "us-east-1")::get;
        assertSame(env, SsmParameters.resolve(env));
    }

    @Test
    void anExplicitIdWins() {
        Function<String, String> env = Map.of("DISTRIBUTION_ID_PARAMETER", "/stack/distribution-id",
                "CLOUDFRONT_DISTRIBUTION_ID", "E123", "AWS_REGION", "us-east-1")::get;
        assertEquals("E123", SsmParameters.resolve(env).apply("CLOUDFRONT_DISTRIBUTION_ID"));
    }

    @Test
    void theWebhookSecretIsLikewiseReadOnlyOnAwsAndNeverOverAnExplicitOne() {
        Function<String, String> local = Map.of("WEBHOOK_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:1:secret:x",
                "S3_ENDPOINT", "http://127.0.0.1:9000", "AWS_REGION", "us-east-1")::get;
        assertNull(io.imagescaler.handler.notification.aws.WebhookSecretSource.resolve(local).apply("WEBHOOK_SECRET"));
        Function<String, String> explicit = Map.of("WEBHOOK_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:1:secret:x",
                "WEBHOOK_SECRET", "s3cret", "AWS_REGION", "us-east-1")::get;
        assertEquals("s3cret", io.imagescaler.handler.notification.aws.WebhookSecretSource.resolve(explicit)
                .apply("WEBHOOK_SECRET"));
    }

    @Test
    void locallyThereIsNoSsmAndNoDistribution() {
        Function<String, String> env = Map.of("DISTRIBUTION_ID_PARAMETER", "/stack/distribution-id",
                "S3_ENDPOINT", "http://127.0.0.1:9000", "AWS_REGION", "us-east-1")::get;
        assertNull(SsmParameters.resolve(env).apply("CLOUDFRONT_DISTRIBUTION_ID"));
    }

    @Test
    void theResultLinksOriginIsResolvedTheSameWay() {
        Function<String, String> explicit = Map.of("RESULT_URL_BASE_PARAMETER", "/stack/result-url-base",
                "RESULT_URL_BASE", "https://img.example.org", "AWS_REGION", "us-east-1")::get;
        assertSame(explicit, SsmParameters.resolve(explicit), "nothing to read: no SSM client is built");
        Function<String, String> local = Map.of("RESULT_URL_BASE_PARAMETER", "/stack/result-url-base",
                "S3_ENDPOINT", "http://127.0.0.1:9000", "AWS_REGION", "us-east-1")::get;
        assertNull(SsmParameters.resolve(local).apply("RESULT_URL_BASE"));
    }
}
