package io.imagescaler.samples;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.edge.LocalEdge;
import io.imagescaler.edge.access.DevIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/** The in-repo test images, and uploads to a local edge as the dev user. */
public final class EdgeFixture {
    private EdgeFixture() {
    }

    public static byte[] image(String name) throws IOException {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("testdata"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("testdata/ not found above " + Path.of("").toAbsolutePath());
        }
        return Files.readAllBytes(p.resolve("testdata/images").resolve(name));
    }

    /** Uploads as the dev user; returns the new image's id. */
    public static String upload(LocalEdge edge, byte[] image) throws Exception {
        String token = Files.readString(edge.issuer().tokenFile(DevIssuer.USER)).strip();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(edge.baseUrl() + "/v1/images")).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(image)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("upload answered " + r.statusCode() + ": " + r.body());
        }
        return new ObjectMapper().readTree(r.body()).get("id").asText();
    }
}
