package io.imagescaler.handler.cdn.aws;

import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Where the CloudFront distribution id comes from on AWS. The distribution depends on the API, which
 * depends on the function, so the function cannot get the id as an environment variable; the CDK app
 * publishes it in SSM and names the parameter in {@code DISTRIBUTION_ID_PARAMETER}. It is read once, at
 * start, and handed on as {@code CLOUDFRONT_DISTRIBUTION_ID} (an explicit value always wins).
 */
public final class DistributionIdParameter {
    public static final String NAME = "DISTRIBUTION_ID_PARAMETER";

    private DistributionIdParameter() {
    }

    /** The environment with {@code CLOUDFRONT_DISTRIBUTION_ID} filled in from the parameter, if named. */
    public static Function<String, String> resolve(Function<String, String> env) {
        String parameter = env.apply(NAME);
        if (parameter == null || parameter.isBlank() || env.apply("CLOUDFRONT_DISTRIBUTION_ID") != null
                || env.apply("S3_ENDPOINT") != null) {
            return env;   // nothing to resolve, already given, or local (no SSM locally)
        }
        String id;
        try (SsmClient ssm = SsmClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(env.apply("AWS_REGION")))
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .overrideConfiguration(io.imagescaler.handler.storage.aws.AwsClients.bounded(java.util.List.of()).build())
                .build()) {
            id = io.imagescaler.handler.storage.aws.AwsFailures.call("the distribution id parameter (SSM)",
                    () -> ssm.getParameter(b -> b.name(parameter)).parameter().value());
        }
        return key -> key.equals("CLOUDFRONT_DISTRIBUTION_ID") ? id : env.apply(key);
    }
}
