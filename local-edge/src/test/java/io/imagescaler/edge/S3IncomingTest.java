package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.edge.storage.LocalS3;
import io.imagescaler.edge.storage.UploadCors;
import io.imagescaler.handler.storage.Incoming;
import io.imagescaler.handler.storage.aws.S3Incoming;
import io.imagescaler.spec.ImageId;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The server-side move of a processed upload against S3Proxy: CopyObject below the single-copy limit,
 * the multipart copy (UploadPartCopy of byte ranges) above it, forced here with small thresholds so a
 * 20 MB object takes the path a > 5 GB one takes on AWS. No byte passes through the caller.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3IncomingTest {
    @TempDir
    static Path data;
    LocalS3 s3proxy;
    S3Client s3;
    S3Presigner presigner;

    @BeforeAll
    void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        s3proxy = LocalS3.start(data, port, "local", "local-secret", new UploadCors(List.of()));
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local-secret"));
        S3Configuration pathStyle = S3Configuration.builder().pathStyleAccessEnabled(true).build();
        s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .credentialsProvider(credentials).endpointOverride(s3proxy.endpoint())
                .serviceConfiguration(pathStyle).build();
        presigner = S3Presigner.builder().region(Region.US_EAST_1).credentialsProvider(credentials)
                .endpointOverride(s3proxy.endpoint()).serviceConfiguration(pathStyle).build();
        s3.createBucket(b -> b.bucket("copies"));
    }

    @AfterAll
    void stop() throws Exception {
        if (s3 != null) s3.close();
        if (presigner != null) presigner.close();
        if (s3proxy != null) s3proxy.close();
    }

    @Test
    void smallObjectsAreCopiedInOneRequest() {
        check(new S3Incoming(s3, presigner, "copies", 64L << 20, 8L << 20), 3_000_001, Incoming.Destination.ORIGINALS);
    }

    @Test
    void objectsAboveTheSingleCopyLimitAreCopiedPartByPart() {
        // 20 MB over 8 MiB parts: three UploadPartCopy ranges, the last one short
        check(new S3Incoming(s3, presigner, "copies", 5L << 20, 8L << 20), 20_000_003, Incoming.Destination.QUARANTINE);
    }

    private void check(S3Incoming incoming, int size, Incoming.Destination destination) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        ImageId id = ImageId.random();
        s3.putObject(b -> b.bucket("copies").key("incoming/" + id.value()).contentType("application/octet-stream"),
                RequestBody.fromBytes(bytes));
        assertEquals(size, incoming.uploaded(id).orElseThrow().bytes());

        incoming.copyTo(id, destination, "image/png");

        String target = (destination == Incoming.Destination.ORIGINALS ? "originals/" : "quarantine/") + id.value();
        var copy = s3.getObjectAsBytes(b -> b.bucket("copies").key(target));
        assertArrayEquals(bytes, copy.asByteArray());
        assertEquals("image/png", copy.response().contentType());
        assertTrue(incoming.uploaded(id).isPresent(), "the source stays until delete");
        incoming.delete(id);
        assertTrue(incoming.uploaded(id).isEmpty());
        assertEquals(0, s3.listMultipartUploads(b -> b.bucket("copies")).uploads().size(), "no multipart copy left open");
    }
}
