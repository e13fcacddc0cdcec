package io.imagescaler.signer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cookies CloudFront reads instead of URL parameters: {@code CloudFront-Expires} (canned) or
 * {@code CloudFront-Policy} (custom), {@code CloudFront-Signature}, {@code CloudFront-Key-Pair-Id} and,
 * for SHA256, {@code CloudFront-Hash-Algorithm}.
 */
public record SignedCookies(Map<String, String> values) {
    public SignedCookies {
        values = Map.copyOf(new LinkedHashMap<>(values));
    }

    /** {@code Set-Cookie} header values; CloudFront requires Secure cookies on the distribution's domain. */
    public List<String> setCookieHeaders(String domain, String path) {
        return values.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue() + "; Domain=" + domain + "; Path=" + path
                        + "; Secure; HttpOnly")
                .toList();
    }

    /**
     * The cookies of a {@code Cookie} request header by name, for {@link SignatureVerifier#verify}; the first
     * of repeated names wins, as browsers send the most specific path first.
     */
    public static Map<String, String> parseCookieHeader(String header) {
        Map<String, String> cookies = new LinkedHashMap<>();
        if (header == null) {
            return cookies;
        }
        for (String part : header.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                cookies.putIfAbsent(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        return cookies;
    }

    /** A {@code Cookie} request header carrying them all. */
    public String cookieHeader() {
        return String.join("; ", values.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).toList());
    }
}
