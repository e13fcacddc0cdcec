package io.imagescaler.signer;

import java.time.Instant;
import java.util.Map;

/**
 * Rough cost of signing and verifying on one core (not a unit test; a figure for the README):
 * {@code java -cp signer/target/signer.jar:signer/target/test-classes io.imagescaler.signer.VerifyThroughput}
 */
public final class VerifyThroughput {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        var pair = PemKeys.generateRsa2048();
        SignatureVerifier verifier = new SignatureVerifier(TrustedKeyGroup.of("K", pair.getPublic()));
        Instant now = Instant.parse("2026-11-23T12:00:00Z");
        String base = "https://d111111abcdef8.cloudfront.net/v1/images/Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF/";
        for (HashAlgorithm hash : HashAlgorithm.values()) {
            UrlSigner signer = UrlSigner.with(new SigningKey("K", pair.getPrivate())).hash(hash);
            String canned = signer.signCanned(base + "w_800.webp", now.plusSeconds(3600));
            String custom = signer.signCustom(base + "w_800.webp", new Policy(base + "*", now.plusSeconds(3600), null, null));
            for (String kind : new String[] {"canned", "custom"}) {
                String url = kind.equals("canned") ? canned : custom;
                for (int i = 0; i < n / 4; i++) { // warm-up
                    verifier.verify(url, Map.of(), "192.0.2.1", now);
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    if (!verifier.verify(url, Map.of(), "192.0.2.1", now).allowed()) {
                        throw new AssertionError();
                    }
                }
                double us = (System.nanoTime() - t0) / 1000.0 / n;
                System.out.printf("verify %-6s %-6s %7.1f us/request%n", kind, hash, us);
            }
            long t0 = System.nanoTime();
            int signs = Math.max(1, n / 20);
            for (int i = 0; i < signs; i++) {
                signer.signCanned(base + "w_" + i + ".webp", now.plusSeconds(3600));
            }
            System.out.printf("sign   canned %-6s %7.1f us/URL%n", hash, (System.nanoTime() - t0) / 1000.0 / signs);
        }
    }
}
