package io.imagescaler.handler.auth;

import io.imagescaler.handler.api.HttpRequest;
import io.imagescaler.handler.error.ImageScalerException.Forbidden;

/**
 * Refuses every request that did not come through the CDN: CloudFront (and the local edge) add
 * {@code X-Origin-Verify: <secret>}; WAF blocks requests without it before API Gateway, and this check
 * is the second line, should the API's URL be called directly around WAF.
 */
public final class OriginVerification {
    public static final String HEADER = "X-Origin-Verify";

    private final OriginSecretSource source;

    public OriginVerification(OriginSecretSource source) {
        this.source = source;
    }

    public void check(HttpRequest request) {
        String presented = request.header(HEADER).orElse(null);
        if (!source.secrets().accepts(presented)) {
            throw new Forbidden("requests must come through the CDN: the " + HEADER + " header is "
                    + (presented == null ? "missing" : "wrong"));
        }
    }
}
