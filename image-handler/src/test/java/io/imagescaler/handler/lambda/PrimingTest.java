package io.imagescaler.handler.lambda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.handler.transform.Pipeline;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

class PrimingTest {

    @Test
    void primingRendersEveryFormatWithoutTheNetwork() {
        try (S3Presigner presigner = S3Presigner.builder().region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s")))
                .endpointOverride(java.net.URI.create("http://127.0.0.1:9")).build()) {
            int bytes = new Priming(new Pipeline(), presigner, "bucket").prime();
            assertTrue(bytes > 1000, "rendered " + bytes + " bytes");
        }
    }
}
