package io.imagescaler.handler.cdn.aws;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Values the CDK app cannot give the API function as environment variables: the CloudFront distribution depends on
 * the API, which depends on the function, so the distribution's id and domain would close a cycle. The app
 * publishes them in SSM and names each parameter in a variable; they are read once, at start, and handed on under
 * their own names (an explicit value always wins; locally there is no SSM and nothing is read):
 * <ul>
 *   <li>{@code DISTRIBUTION_ID_PARAMETER} → {@code CLOUDFRONT_DISTRIBUTION_ID} (invalidations)</li>
 *   <li>{@code RESULT_URL_BASE_PARAMETER} → {@code RESULT_URL_BASE} (signed links to a job's results)</li>
 * </ul>
 */
public final class SsmParameters {
    /** The variable a value is handed on as → the variable that names its parameter. */
    static final Map<String, String> RESOLVED = Map.of(
            "CLOUDFRONT_DISTRIBUTION_ID", "DISTRIBUTION_ID_PARAMETER",
            "RESULT_URL_BASE", "RESULT_URL_BASE_PARAMETER");

    private SsmParameters() {
    }

    /** The environment with every named parameter's value filled in. */
    public static Function<String, String> resolve(Function<String, String> env) {
        if (env.apply("S3_ENDPOINT") != null) {
            return env;   // local: no SSM
        }
        Map<String, String> wanted = new HashMap<>();
        RESOLVED.forEach((target, parameterVariable) -> {
            String parameter = env.apply(parameterVariable);
            if (parameter != null && !parameter.isBlank() && env.apply(target) == null) {
                wanted.put(target, parameter);
            }
        });
        if (wanted.isEmpty()) {
            return env;
        }
        Map<String, String> values = new HashMap<>();
        try (SsmClient ssm = SsmClient.builder().httpClient(UrlConnectionHttpClient.create())
                .region(Region.of(env.apply("AWS_REGION")))
                .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
                .overrideConfiguration(io.imagescaler.handler.storage.aws.AwsClients.bounded(java.util.List.of()).build())
                .build()) {
            wanted.forEach((target, parameter) -> values.put(target, io.imagescaler.handler.storage.aws.AwsFailures.call(
                    "the parameter " + parameter + " (SSM)", () -> ssm.getParameter(b -> b.name(parameter)).parameter()
                            .value())));
        }
        return key -> values.containsKey(key) ? values.get(key) : env.apply(key);
    }
}
