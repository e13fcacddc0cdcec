package io.imagescaler.edge.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3.1 document of the HTTP API, written in YAML (readable in review) and served as JSON at
 * {@code GET /v1/openapi.json}. It describes what the viewer sees through CloudFront, so it is the edge's to serve.
 */
public final class ApiDocument {
    /** Classpath location of the document; tests validate real responses against it. */
    public static final String RESOURCE = "/openapi/openapi.yaml";
    public static final String PATH = "/v1/openapi.json";

    private static final byte[] JSON = toJson();

    private ApiDocument() {
    }

    /** The document as a JSON tree (a fresh copy). */
    public static JsonNode tree() {
        try {
            return new ObjectMapper().readTree(JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void serve(Context ctx) {
        ctx.status(200).contentType("application/json").header("Cache-Control", "public, max-age=300").result(JSON);
    }

    private static byte[] toJson() {
        try (InputStream in = ApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return new ObjectMapper().writeValueAsBytes(new YAMLMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
