package io.imagescaler.handler.lambda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.handler.transform.Pipeline;
import io.imagescaler.handler.transform.TransformEngine;
import io.imagescaler.handler.transform.portable.JavaBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

class PrimingTest {

    @ParameterizedTest
    @ValueSource(strings = {"native", "java"})
    void primingRendersEveryFormatWithoutTheNetwork(String kind) {
        TransformEngine engine = kind.equals("native") ? new Pipeline() : new Pipeline(new JavaBackend());
        try (S3Presigner presigner = S3Presigner.builder().region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .endpointOverride(java.net.URI.create("http://127.0.0.1:9")).build()) {
            int bytes = new Priming(engine, presigner, "bucket").prime();
            assertTrue(bytes > 1000, "rendered " + bytes + " bytes");
        }
    }
}
