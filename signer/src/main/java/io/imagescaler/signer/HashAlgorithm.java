package io.imagescaler.signer;

import java.util.Optional;

/**
 * The digest CloudFront applies before the RSA signature. SHA1 is CloudFront's default (no parameter);
 * SHA256 is announced by {@code Hash-Algorithm=SHA256} on the URL or the {@code CloudFront-Hash-Algorithm} cookie.
 */
public enum HashAlgorithm {
    SHA1("SHA1withRSA"),
    SHA256("SHA256withRSA");

    private final String jcaName;

    HashAlgorithm(String jcaName) {
        this.jcaName = jcaName;
    }

    public String jcaName() {
        return jcaName;
    }

    /** CloudFront spells the parameter value exactly {@code SHA1} or {@code SHA256}; anything else is refused. */
    public static Optional<HashAlgorithm> fromParameter(String value) {
        if (value == null) {
            return Optional.of(SHA1);
        }
        for (HashAlgorithm a : values()) {
            if (a.name().equals(value)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
