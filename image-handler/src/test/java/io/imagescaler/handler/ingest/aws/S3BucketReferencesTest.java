package io.imagescaler.handler.ingest.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.handler.analytics.aws.MotoServer;
import io.imagescaler.handler.error.ImageScalerException.PayloadTooLarge;
import io.imagescaler.handler.intake.MemoryStores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Reading a Kafka message's {@code {"s3":{...}}} reference from moto's S3: the object, its limit, absence. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3BucketReferencesTest {
    static final byte[] PNG = MemoryStores.testImage("images/png-tiny-16x16.png");
    MotoServer moto;
    S3Client s3;
    S3BucketReferences references;

    @BeforeAll
    void start() throws Exception {
        moto = MotoServer.startOrSkip();
        s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .credentialsProvider(MotoServer.CREDENTIALS).endpointOverride(moto.endpoint()).forcePathStyle(true)
                .build();
        s3.createBucket(b -> b.bucket("partner-uploads"));
        s3.putObject(b -> b.bucket("partner-uploads").key("in/cat.png"), RequestBody.fromBytes(PNG));
        references = new S3BucketReferences(s3);
    }

    @AfterAll
    void stop() throws Exception {
        if (s3 != null) s3.close();
        if (moto != null) moto.close();
    }

    @Test
    void anObjectIsRead() {
        assertArrayEquals(PNG, references.read("partner-uploads", "in/cat.png", 1024 * 1024).orElseThrow());
    }

    @Test
    void anObjectAboveTheLimitIsRefused() {
        assertThrows(PayloadTooLarge.class, () -> references.read("partner-uploads", "in/cat.png", PNG.length - 1));
    }

    @Test
    void aMissingObjectOrBucketIsEmpty() {
        assertTrue(references.read("partner-uploads", "in/missing.png", 1024).isEmpty());
        assertTrue(references.read("no-such-bucket", "in/cat.png", 1024).isEmpty());
    }
}
