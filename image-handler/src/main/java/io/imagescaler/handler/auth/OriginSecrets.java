package io.imagescaler.handler.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The values of the {@code X-Origin-Verify} header the CDN adds: the current one and, during a
 * rotation, the previous one, so that there is no gap while CloudFront's configuration propagates.
 */
public record OriginSecrets(String current, String previous) {

    public OriginSecrets {
        if (current == null || current.isBlank()) {
            throw new IllegalArgumentException("the current origin secret must be set");
        }
        previous = previous == null || previous.isBlank() ? null : previous;
    }

    /** Constant-time comparison against both values, so timing reveals nothing about either. */
    public boolean accepts(String presented) {
        if (presented == null) {
            return false;
        }
        byte[] p = presented.getBytes(StandardCharsets.UTF_8);
        boolean current = MessageDigest.isEqual(p, this.current.getBytes(StandardCharsets.UTF_8));
        boolean previous = this.previous != null
                && MessageDigest.isEqual(p, this.previous.getBytes(StandardCharsets.UTF_8));
        return current | previous;
    }

    @Override
    public String toString() {
        return "OriginSecrets[current=***, previous=" + (previous == null ? "none" : "***") + "]";
    }
}
