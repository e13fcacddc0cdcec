package io.imagescaler.signer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevKeyPairTest {
    @Test
    void createdOnceThenReused(@TempDir Path dir) throws Exception {
        DevKeyPair first = DevKeyPair.loadOrCreate(dir.resolve("keys"), DevKeyPair.DEFAULT_KEY_PAIR_ID);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first.privateKeyFile())));
        String url = UrlSigner.with(first.signingKey()).signCanned("http://127.0.0.1:8080/v1/images/a/w_1.jpg",
                Instant.parse("2030-01-01T00:00:00Z"));
        DevKeyPair again = DevKeyPair.loadOrCreate(dir.resolve("keys"), DevKeyPair.DEFAULT_KEY_PAIR_ID);
        assertArrayEquals(first.publicKey().getEncoded(), again.publicKey().getEncoded());
        Verdict v = new SignatureVerifier(again.trustedKeyGroup()).verify(url, Map.of(), "127.0.0.1",
                Instant.parse("2029-01-01T00:00:00Z"));
        assertTrue(v.allowed(), v.reason());
        assertTrue(again.howToSign("http://127.0.0.1:8080").contains("--key-pair-id KLOCALDEVKEY01"));
        // the printed command runs on this JVM's java, not whatever older java the PATH may hold
        assertTrue(again.howToSign("http://127.0.0.1:8080").startsWith("sign a URL: "
                + Path.of(System.getProperty("java.home"), "bin", "java") + " -jar signer/target/signer.jar sign"));
    }
}
