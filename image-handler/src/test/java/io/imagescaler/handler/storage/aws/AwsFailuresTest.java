package io.imagescaler.handler.storage.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.handler.api.Problems;
import io.imagescaler.handler.error.ImageScalerException.NotFound;
import io.imagescaler.handler.error.ImageScalerException.UpstreamFailure;
import io.imagescaler.handler.storage.StoredObject;
import io.imagescaler.handler.storage.Variants;
import io.imagescaler.spec.ImageId;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

class AwsFailuresTest {

    /** A port whose every call fails the way the SDK fails. */
    private static Variants failingWith(RuntimeException e) {
        return new Variants() {
            public Optional<StoredObject> get(String key) { throw e; }
            public void put(String key, byte[] bytes, String contentType, String cacheControl) { throw e; }
            public boolean putIfAbsent(String key, byte[] bytes, String contentType, String cacheControl) { throw e; }
            public int deleteAll(ImageId id) { throw e; }
        };
    }

    @Test
    void aRefusedConnectionBecomes503WithRetryAfter() {
        Variants v = AwsFailures.guarded(Variants.class, "the generated-variants store (S3)",
                failingWith(SdkClientException.create("Unable to execute HTTP request: Connection refused")));
        UpstreamFailure e = assertThrows(UpstreamFailure.class, () -> v.get("k"));
        assertTrue(e.getMessage().startsWith("the generated-variants store (S3) failed (Unable to execute"), e.getMessage());
        var answer = Problems.of(e, "/v1/images/x/w_8.png");
        assertEquals(503, answer.status());
        assertEquals("2", answer.headers().get("Retry-After"));
        assertEquals("application/problem+json", answer.headers().get("Content-Type"));
    }

    @Test
    void aServiceErrorNamesItsCodeAndStatus() {
        var throttled = DynamoDbException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                .errorCode("ProvisionedThroughputExceededException").build()).build();
        Variants v = AwsFailures.guarded(Variants.class, "the image records (DynamoDB)", failingWith(throttled));
        UpstreamFailure e = assertThrows(UpstreamFailure.class, () -> v.deleteAll(ImageId.random()));
        assertTrue(e.getMessage().contains("ProvisionedThroughputExceededException, HTTP 400"), e.getMessage());
        assertSame(throttled, e.getCause());
    }

    @Test
    void theProjectsOwnErrorsPassThroughUnchanged() {
        NotFound notFound = new NotFound("no such image");
        Variants v = AwsFailures.guarded(Variants.class, "x", failingWith(notFound));
        assertSame(notFound, assertThrows(NotFound.class, () -> v.put("k", new byte[0], "t", "c")));
    }
}
