package io.imagescaler.signer;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Objects;

/** A CloudFront key pair id and the private key that signs under it. */
public record SigningKey(String keyPairId, PrivateKey privateKey) {
    public SigningKey {
        Objects.requireNonNull(privateKey, "privateKey");
        if (keyPairId == null || keyPairId.isBlank()) {
            throw new IllegalArgumentException("a signing key needs a key pair id");
        }
    }

    public static SigningKey fromPemFile(String keyPairId, Path pem) throws IOException {
        return new SigningKey(keyPairId, PemKeys.readPrivateKey(pem));
    }

    /**
     * Reads the key from an environment variable holding the PEM text, or the PEM text base64-encoded
     * (CI secret stores often refuse multi-line values).
     */
    public static SigningKey fromEnvironment(String keyPairId, String variable) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("environment variable " + variable + " holds no private key");
        }
        return new SigningKey(keyPairId, PemKeys.parsePrivateKey(value));
    }

    @Override
    public String toString() {
        return "SigningKey[" + keyPairId + "]";
    }
}
