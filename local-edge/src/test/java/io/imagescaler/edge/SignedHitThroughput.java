package io.imagescaler.edge;

import io.imagescaler.edge.access.DevIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * What the signed-URL check and the two WAF ACLs cost per request (a figure, not a test): sequential GETs of one
 * variant served from the generated bucket, through an edge that requires signatures and one that does not.
 * {@code java -cp local-edge/target/local-edge.jar:local-edge/target/test-classes io.imagescaler.edge.SignedHitThroughput [n]}
 * (after {@code mvn -B -o -q -pl local-edge -am package -DskipTests}). Each configuration runs twice, alternating,
 * because on a shared machine the run-to-run spread is larger than the difference being measured.
 */
public final class SignedHitThroughput {
    public static void main(String[] args) throws Exception {
        System.setProperty("aws.disableEc2Metadata", "true");
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        if (n + n / 2 + 2 > 2000) {
            // the CloudFront ACL's rate-per-ip rule (2000 per 5 minutes) would start blocking this client
            throw new IllegalArgumentException("n must stay under 1330 per run: WAF's rate rule counts every request");
        }
        for (boolean signed : new boolean[] {true, false, true, false}) {
            Path data = Files.createTempDirectory("edge-throughput");
            try (LocalEdge edge = LocalEdge.start(0, data, Map.of("REQUIRE_SIGNED_URLS", Boolean.toString(signed)))) {
                HttpClient http = HttpClient.newHttpClient();
                var created = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images"))
                        .header("Authorization", edge.issuer().bearer(DevIssuer.USER))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.image("png-rgba-dice-800x600.png")))
                        .build(), HttpResponse.BodyHandlers.ofString());
                String id = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
                String path = "/v1/images/" + id + "/w_320.webp";
                URI uri = signed ? Signed.uri(edge, path) : URI.create(edge.baseUrl() + path);
                HttpRequest get = HttpRequest.newBuilder(uri).GET().build();
                if (http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                    throw new IllegalStateException("the first GET failed");
                }
                for (int i = 0; i < n / 2; i++) { // warm-up
                    http.send(get, HttpResponse.BodyHandlers.discarding());
                }
                long[] micros = new long[n];
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    if (http.send(get, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
                        throw new IllegalStateException("a bucket hit failed");
                    }
                    micros[i] = (System.nanoTime() - t0) / 1000;
                }
                Arrays.sort(micros);
                System.out.printf("bucket hit, signatures %-12s n=%d  p50 %5d us  p90 %5d us  (hits counted: %d)%n",
                        signed ? "required" : "not required", n, micros[n / 2], micros[n * 9 / 10],
                        edge.server().bucketHits());
            }
        }
    }
}
