package io.imagescaler.signer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemKeysTest {
    @Test
    void pkcs8AndSpkiRoundTrip(@TempDir Path dir) throws Exception {
        Path priv = dir.resolve("p.pem");
        Path pub = dir.resolve("q.pem");
        Files.writeString(priv, PemKeys.privateKeyPem(TestKeys.A.getPrivate()));
        Files.writeString(pub, PemKeys.publicKeyPem(TestKeys.A.getPublic()));
        assertTrue(Files.readString(priv).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertTrue(Files.readString(pub).startsWith("-----BEGIN PUBLIC KEY-----\n"));
        assertArrayEquals(TestKeys.A.getPrivate().getEncoded(), PemKeys.readPrivateKey(priv).getEncoded());
        assertArrayEquals(TestKeys.A.getPublic().getEncoded(), PemKeys.readPublicKey(pub).getEncoded());
    }

    /** OpenSSL 1.x {@code genrsa} writes PKCS#1; the PKCS#8 DER of a 2048-bit key wraps it after a 26-byte header. */
    @Test
    void pkcs1PrivateAndPublicKeysAreRead() {
        byte[] pkcs8 = TestKeys.A.getPrivate().getEncoded();
        byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length);
        String pem = "-----BEGIN RSA PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs1)
                + "\n-----END RSA PRIVATE KEY-----\n";
        assertArrayEquals(pkcs8, PemKeys.parsePrivateKey(pem).getEncoded());

        byte[] spki = TestKeys.A.getPublic().getEncoded();
        byte[] pkcs1Public = Arrays.copyOfRange(spki, 24, spki.length);
        String pubPem = "-----BEGIN RSA PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs1Public)
                + "\n-----END RSA PUBLIC KEY-----\n";
        assertArrayEquals(spki, PemKeys.parsePublicKey(pubPem).getEncoded());
    }

    @Test
    void base64WrappedPemAsEnvironmentVariablesOftenHoldIt() {
        String pem = PemKeys.privateKeyPem(TestKeys.A.getPrivate());
        String wrapped = Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(TestKeys.A.getPrivate().getEncoded(), PemKeys.parsePrivateKey(wrapped).getEncoded());
    }

    @Test
    void refusals() {
        assertThrows(IllegalArgumentException.class, () -> PemKeys.parsePrivateKey("hello"));
        assertThrows(IllegalArgumentException.class,
                () -> PemKeys.parsePrivateKey(PemKeys.publicKeyPem(TestKeys.A.getPublic())));
        assertThrows(IllegalArgumentException.class, () -> PemKeys.parsePrivateKey(
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----"));
        assertThrows(IllegalArgumentException.class, () -> new SigningKey(" ", TestKeys.A.getPrivate()));
    }

    @Test
    void keyFromPemFileSignsWhatThePublicPemVerifies(@TempDir Path dir) throws Exception {
        var pair = PemKeys.generateRsa2048();
        Files.writeString(dir.resolve("k.pem"), PemKeys.privateKeyPem(pair.getPrivate()));
        Files.writeString(dir.resolve("k.pub"), PemKeys.publicKeyPem(pair.getPublic()));
        String url = UrlSigner.with(SigningKey.fromPemFile("KFILE", dir.resolve("k.pem")))
                .signCanned("https://x.test/a.jpg", Instant.parse("2030-01-01T00:00:00Z"));
        var verifier = new SignatureVerifier(TrustedKeyGroup.fromPemFiles(Map.of("KFILE", dir.resolve("k.pub"))));
        assertEquals(Verdict.Outcome.ALLOWED,
                verifier.verify(url, Map.of(), "1.2.3.4", Instant.parse("2029-01-01T00:00:00Z")).outcome());
    }
}
