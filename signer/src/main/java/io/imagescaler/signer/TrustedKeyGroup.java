package io.imagescaler.signer;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The public keys a distribution trusts, by CloudFront key id. Several at once is how keys rotate: add the
 * new key, move signers to it, remove the old one once its URLs have expired.
 */
public final class TrustedKeyGroup {
    private final Map<String, PublicKey> keys;

    private TrustedKeyGroup(Map<String, PublicKey> keys) {
        this.keys = Map.copyOf(keys);
    }

    public static TrustedKeyGroup of(Map<String, PublicKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a trusted key group holds at least one key");
        }
        return new TrustedKeyGroup(keys);
    }

    public static TrustedKeyGroup of(String keyPairId, PublicKey key) {
        return of(Map.of(keyPairId, key));
    }

    /** {@code id → PEM file} pairs, e.g. from the CLI's repeated {@code --public-key ID=FILE}. */
    public static TrustedKeyGroup fromPemFiles(Map<String, Path> files) throws IOException {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        for (Map.Entry<String, Path> e : files.entrySet()) {
            keys.put(e.getKey(), PemKeys.readPublicKey(e.getValue()));
        }
        return of(keys);
    }

    public Optional<PublicKey> key(String keyPairId) {
        return Optional.ofNullable(keys.get(keyPairId));
    }

    public Set<String> keyPairIds() {
        return keys.keySet();
    }
}
