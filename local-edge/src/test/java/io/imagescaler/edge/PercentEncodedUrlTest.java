package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imagescaler.edge.access.DevIssuer;
import io.imagescaler.handler.api.HttpRequest;
import io.imagescaler.handler.api.HttpResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transform segment is one variant however the client percent-encodes it: URLs signed by AWS's
 * {@code @aws-sdk/cloudfront-signer} (which sends ',' as %2C) and by the project's signer (plain, %2C, %2c, %5F)
 * all answer 200 with the same bytes, from one generated-bucket object, rendered once (one cache key); the handler
 * tolerates an encoded path on its own, and escapes that would change the meaning are refused, not decoded.
 */
class PercentEncodedUrlTest {
    static final String PLAIN = "w_24,h_16,fit_cover";
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everySpellingIsOneVariant(@TempDir Path data) throws Exception {
        AwsJsSigner.require();
        try (LocalEdge edge = LocalEdge.start(0, data, Map.of("LOCAL_SR", "false"))) {
            String id = upload(edge);
            String base = edge.baseUrl() + "/v1/images/" + id + "/";
            Instant expires = Instant.now().plus(Duration.ofHours(1));
            var dev = edge.signatures().devKey();

            List<String> urls = new ArrayList<>();
            urls.add(Signed.signer(edge).signCanned(base + PLAIN + ".webp", expires));
            String aws = AwsJsSigner.signUrl(base + PLAIN + ".webp", dev.keyPairId(), dev.privateKeyFile(), expires);
            urls.add(aws);
            for (String spelling : new String[] {"w_24%2Ch_16%2Cfit_cover", "w_24%2ch_16%2cfit_cover",
                    "w%5F24%2Ch%5f16%2Cfit%5Fcover", "h_16%2Cw_24%2Cfit_cover"}) {
                urls.add(Signed.signer(edge).signCanned(base + spelling + ".webp", expires));
                urls.add(AwsJsSigner.signUrl(base + spelling + ".webp", dev.keyPairId(), dev.privateKeyFile(), expires));
            }

            long before = edge.server().handlerInvocations();
            byte[] first = null;
            for (String url : urls) {
                var r = http.send(java.net.http.HttpRequest.newBuilder(URI.create(url)).GET().build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, r.statusCode(), url + ": " + new String(r.body()));
                assertEquals("image/webp", r.headers().firstValue("Content-Type").orElseThrow(), url);
                if (first == null) {
                    first = r.body();
                } else {
                    assertArrayEquals(first, r.body(), url);
                }
            }
            var keys = edge.wiring().clients().s3().listObjectsV2(r -> r.bucket("image-storage-generated")
                    .prefix(id + "/")).contents().stream().map(o -> o.key()).toList();
            assertEquals(List.of(id + "/" + PLAIN + ".webp"), keys);
            // rendered once: every later spelling was found in the bucket under the one key (on CloudFront the
            // reordered h_16,w_24 is another cache key, which the handler answers from the same stored object)
            assertEquals(1, edge.server().handlerInvocations() - before, "handler calls");
            System.out.println("PercentEncodedUrlTest: AWS's signer sent " + aws.replaceAll("\\?.*", "?..."));
        }
    }

    @Test
    void theHandlerAloneToleratesEncodingAndAnEscapedSpaceOrPercentIsRefused(@TempDir Path data) throws Exception {
        try (LocalEdge edge = LocalEdge.start(0, data, Map.of("LOCAL_SR", "false"))) {
            String id = upload(edge);
            // API Gateway straight to the handler, no edge function in between (as a direct origin request would be)
            String secret = Files.readString(data.resolve("origin-verify.secret")).trim();
            HttpResponse direct = edge.wiring().router().handle(new HttpRequest("GET",
                    "/v1/images/" + id + "/w%5F24%2ch_16%2Cfit_cover.png", "", Map.of("X-Origin-Verify", secret),
                    Map.of(), null));
            assertEquals(200, direct.status(), new String(direct.body()));
            assertEquals(List.of(id + "/w_24,h_16,fit_cover.png"), edge.wiring().clients().s3().listObjectsV2(r -> r
                    .bucket("image-storage-generated").prefix(id + "/")).contents().stream().map(o -> o.key()).toList());

            for (String bad : new String[] {"w_24%252Ch_16.webp", "w_24%20.webp"}) {
                var r = http.send(java.net.http.HttpRequest.newBuilder(Signed.uri(edge, "/v1/images/" + id + "/" + bad)).GET().build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertEquals(400, r.statusCode(), bad + ": " + r.body());
                assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElseThrow(), bad);
            }
        }
    }

    private String upload(LocalEdge edge) throws Exception {
        var created = http.send(java.net.http.HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images"))
                .header("Authorization", edge.issuer().bearer(DevIssuer.USER))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(Fixtures.image("jpeg-tiny-40x60-orient3.jpg"))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        return created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    }
}
