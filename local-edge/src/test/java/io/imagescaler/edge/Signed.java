package io.imagescaler.edge;

import io.imagescaler.signer.UrlSigner;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/** URLs signed as a web page would sign them, with the edge's own dev key pair (canned policy, 1 hour). */
final class Signed {
    private Signed() {
    }

    static UrlSigner signer(LocalEdge edge) {
        return UrlSigner.with(edge.signatures().devKey().signingKey());
    }

    /** {@code path} may carry a query; the signature parameters are appended after it. */
    static URI uri(LocalEdge edge, String path) {
        return URI.create(signer(edge).signCanned(edge.baseUrl() + path, Instant.now().plus(Duration.ofHours(1))));
    }
}
