package io.imagescaler.signer;

import java.security.KeyPair;
import java.util.Map;

/** Two generated key pairs shared by the tests (RSA generation is the slow part). */
final class TestKeys {
    static final String ID_A = "K2JCJMDEHXQW5F";
    static final String ID_B = "K3ROTATEDKEYBB";
    static final KeyPair A = PemKeys.generateRsa2048();
    static final KeyPair B = PemKeys.generateRsa2048();

    static SigningKey signingA() {
        return new SigningKey(ID_A, A.getPrivate());
    }

    static SigningKey signingB() {
        return new SigningKey(ID_B, B.getPrivate());
    }

    static TrustedKeyGroup groupAB() {
        return TrustedKeyGroup.of(Map.of(ID_A, A.getPublic(), ID_B, B.getPublic()));
    }

    static TrustedKeyGroup groupA() {
        return TrustedKeyGroup.of(ID_A, A.getPublic());
    }

    private TestKeys() {
    }
}
