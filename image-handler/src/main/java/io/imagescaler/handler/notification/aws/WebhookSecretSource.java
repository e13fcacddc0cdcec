package io.imagescaler.handler.notification.aws;

import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Where the webhook signing key comes from on AWS: a Secrets Manager secret named by
 * {@code WEBHOOK_SECRET_ARN} (the CDK app generates it), read once at start and handed on as
 * {@code WEBHOOK_SECRET}, so the key never sits in the function's configuration. An explicit
 * {@code WEBHOOK_SECRET} wins; locally (an S3 endpoint is set) nothing is asked of AWS.
 */
public final class WebhookSecretSource {
    public static final String ARN = "WEBHOOK_SECRET_ARN";

    private WebhookSecretSource() {
    }

    public static Function<String, String> resolve(Function<String, String> env) {
        String arn = env.apply(ARN);
        if (arn == null || arn.isBlank() || env.apply("WEBHOOK_SECRET") != null || env.apply("S3_ENDPOINT") != null) {
            return env;
        }
        String secret;
        try (SecretsManagerClient sm = SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(env.apply("AWS_REGION")))
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .overrideConfiguration(io.imagescaler.handler.storage.aws.AwsClients.bounded(java.util.List.of()).build())
                .build()) {
            secret = io.imagescaler.handler.storage.aws.AwsFailures.call("the webhook secret (Secrets Manager)",
                    () -> sm.getSecretValue(b -> b.secretId(arn)).secretString());
        }
        return key -> key.equals("WEBHOOK_SECRET") ? secret : env.apply(key);
    }
}
