package io.imagescaler.edge.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** S3's origin spelling (one {@code *} wildcard) in S3Proxy's terms (regular expressions). */
class UploadCorsTest {

    @Test
    void aWildcardPortMatchesAnyPortOfThatHostOnly() {
        var cors = new UploadCors(List.of("http://127.0.0.1:*", "http://localhost:*")).forS3Proxy();
        assertTrue(cors.isOriginAllowed("http://127.0.0.1:8090"));
        assertTrue(cors.isOriginAllowed("http://localhost:3000"));
        assertFalse(cors.isOriginAllowed("http://127.0.0.10:8090"), "the dot is not a regex wildcard");
        assertFalse(cors.isOriginAllowed("https://127.0.0.1:8090"));
        assertFalse(cors.isOriginAllowed("http://example.org"));
        assertTrue(cors.isMethodAllowed("PUT"));
        assertFalse(cors.isMethodAllowed("GET"), "parts only");
    }

    @Test
    void exactOriginsAndAnyOriginAndNone() {
        var exact = new UploadCors(List.of("https://app.example.org")).forS3Proxy();
        assertTrue(exact.isOriginAllowed("https://app.example.org"));
        assertFalse(exact.isOriginAllowed("https://app.example.org.evil.example"));
        assertTrue(new UploadCors(List.of("*")).forS3Proxy().isOriginAllowed("https://anything.example"));
        assertFalse(new UploadCors(List.of()).forS3Proxy().isEnabled());
    }
}
