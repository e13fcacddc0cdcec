package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.edge.access.DevIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Originals, records and keys (origin secret, dev CloudFront key pair) live under the data directory and survive
 * a restart of the edge.
 */
class RestartTest {

    @Test
    void dataSurvivesARestart(@TempDir Path data) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String id;
        String secret;
        String signedQuery;
        try (LocalEdge edge = LocalEdge.start(0, data, Map.of())) {
            var created = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images"))
                    .header("Authorization", bearer(edge))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.image("png-tiny-16x16.png"))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            id = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            secret = Files.readString(data.resolve("origin-verify.secret"));
            // signed before the restart, for any port: the dev key pair must still be trusted afterwards
            signedQuery = Signed.signer(edge).customQuery(new io.imagescaler.signer.Policy(
                    "http://127.0.0.1:*/v1/images/" + id + "/*", java.time.Instant.now().plusSeconds(3600), null, null));
        }
        try (LocalEdge edge = LocalEdge.start(0, data, Map.of())) {
            var meta = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images/" + id + "/metadata"))
                    .header("Authorization", bearer(edge)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, meta.statusCode(), meta.body());
            assertTrue(meta.body().contains("\"status\":\"READY\""), meta.body());
            assertEquals(secret, Files.readString(data.resolve("origin-verify.secret")), "same origin secret");
            var original = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images/" + id
                    + "/original?" + signedQuery)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, original.statusCode(), "same dev CloudFront key: " + original.body());
        }
    }

    private static String bearer(LocalEdge edge) throws Exception {
        return edge.issuer().bearer(DevIssuer.USER);
    }
}
