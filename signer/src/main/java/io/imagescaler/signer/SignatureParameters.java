package io.imagescaler.signer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The query parameters CloudFront reads for signed URLs, and the way to remove them: they identify a
 * viewer's grant, not the content, so they never reach a cache key or a generated-bucket key.
 */
public final class SignatureParameters {
    public static final String EXPIRES = "Expires";
    public static final String POLICY = "Policy";
    public static final String SIGNATURE = "Signature";
    public static final String KEY_PAIR_ID = "Key-Pair-Id";
    public static final String HASH_ALGORITHM = "Hash-Algorithm";

    /** CloudFront's parameter names are case-sensitive; {@code expires=} is an ordinary parameter. */
    public static final Set<String> NAMES = Set.of(EXPIRES, POLICY, SIGNATURE, KEY_PAIR_ID, HASH_ALGORITHM);

    /** Signed-cookie names: the same fields with a {@code CloudFront-} prefix. */
    public static final String COOKIE_PREFIX = "CloudFront-";

    private SignatureParameters() {
    }

    public static boolean isSignatureParameter(String name) {
        return NAMES.contains(name);
    }

    /** A URL (absolute or path-only) without signature parameters; other parameters keep their order and spelling. */
    public static String strip(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        int hash = url.indexOf('#', q);
        String fragment = hash < 0 ? "" : url.substring(hash);
        String query = stripQuery(url.substring(q + 1, hash < 0 ? url.length() : hash));
        return url.substring(0, q) + (query.isEmpty() ? "" : "?" + query) + fragment;
    }

    /** A raw query string ({@code a=1&Expires=2}) without signature parameters: {@code a=1}. */
    public static String stripQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String> kept = new ArrayList<>();
        for (String pair : rawQuery.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (!isSignatureParameter(name)) {
                kept.add(pair);
            }
        }
        return String.join("&", kept);
    }
}
