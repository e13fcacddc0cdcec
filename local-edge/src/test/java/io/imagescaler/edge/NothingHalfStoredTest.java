package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When a write fails half way, the upload answers 503 and leaves neither an object nor a record. */
class NothingHalfStoredTest {

    @Test
    void aFailedOriginalWriteLeavesNoRecord(@TempDir Path data) throws Exception {
        try (LocalEdge edge = LocalEdge.start(0, data, Map.of())) {
            var aws = edge.wiring().clients();
            aws.s3().deleteBucket(b -> b.bucket("image-storage"));   // S3 now refuses every original
            var response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images"))
                            .header("Authorization", "Bearer " + java.nio.file.Files.readString(
                                    edge.issuer().tokenFile(io.imagescaler.edge.access.DevIssuer.USER)))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.image("png-tiny-16x16.png")))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, response.statusCode(), response.body());
            assertTrue(response.body().contains("upstream-failure"), response.body());
            assertEquals(0, aws.dynamo().scan(r -> r.tableName("image-records")).count(), "no record left");
        }
    }
}
