package io.imagescaler.signer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * The local edge's own key pair: created on first start under its data directory, reused afterwards, so
 * URLs signed yesterday still verify today. Never used on AWS, where the key pair lives in CloudFront and
 * the private key in Secrets Manager.
 */
public record DevKeyPair(String keyPairId, Path privateKeyFile, Path publicKeyFile, PrivateKey privateKey,
                         PublicKey publicKey) {
    public static final String DEFAULT_KEY_PAIR_ID = "KLOCALDEVKEY01";

    /** Loads {@code dir/cloudfront-dev-{private,public}.pem}, creating both when absent. */
    public static DevKeyPair loadOrCreate(Path dir, String keyPairId) throws IOException {
        Path priv = dir.resolve("cloudfront-dev-private.pem");
        Path pub = dir.resolve("cloudfront-dev-public.pem");
        if (!Files.exists(priv) || !Files.exists(pub)) {
            Files.createDirectories(dir);
            KeyPair pair = PemKeys.generateRsa2048();
            Path tmp = Files.createTempFile(dir, "key", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the data directory's own permissions have to do
            }
            Files.writeString(tmp, PemKeys.privateKeyPem(pair.getPrivate()));
            Files.move(tmp, priv, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(pub, PemKeys.publicKeyPem(pair.getPublic()));
        }
        return new DevKeyPair(keyPairId, priv, pub, PemKeys.readPrivateKey(priv), PemKeys.readPublicKey(pub));
    }

    public SigningKey signingKey() {
        return new SigningKey(keyPairId, privateKey);
    }

    public TrustedKeyGroup trustedKeyGroup() {
        return TrustedKeyGroup.of(keyPairId, publicKey);
    }

    /**
     * What the edge prints at start: a ready-to-run CLI line for a URL under {@code origin}, with this JVM's own
     * {@code java} (the signer needs Java 25; the default {@code java} on the PATH may be older).
     */
    public String howToSign(String origin) {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        return "sign a URL: " + javaBin + " -jar signer/target/signer.jar sign --key-pair-id " + keyPairId + " --private-key "
                + privateKeyFile + " --expires 1h --url '" + origin + "/v1/images/{id}/w_800.webp'";
    }

    @Override
    public String toString() {
        return "DevKeyPair[" + keyPairId + ", " + publicKeyFile + "]";
    }
}
