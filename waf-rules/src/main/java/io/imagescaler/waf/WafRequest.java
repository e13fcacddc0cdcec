package io.imagescaler.waf;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What WAF sees of one request. Header names are case-insensitive; the body is known only by its size
 * (the local edge does not hand bodies to WAF).
 *
 * @param uriPath the path without query string, as received (not decoded)
 * @param rawQuery the query string without {@code ?}, as received; empty when there is none
 * @param bodySize bytes in the body, 0 when there is none
 */
public record WafRequest(String method, String uriPath, Map<String, String> headers, String rawQuery, long bodySize,
                         String clientIp, Instant time) {
    public WafRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uriPath, "uriPath");
        Objects.requireNonNull(time, "time");
        TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            h.putAll(headers);
        }
        headers = java.util.Collections.unmodifiableMap(h);
        rawQuery = rawQuery == null ? "" : rawQuery;
    }

    public static WafRequest of(String method, String uriPath, Map<String, String> headers, String clientIp, Instant time) {
        return new WafRequest(method, uriPath, headers, "", 0, clientIp, time);
    }

    public WafRequest withBody(long size) {
        return new WafRequest(method, uriPath, headers, rawQuery, size, clientIp, time);
    }

    public WafRequest withQuery(String query) {
        return new WafRequest(method, uriPath, headers, query, bodySize, clientIp, time);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The value of the first query argument called {@code name} (WAF matches argument names case-insensitively). */
    public Optional<String> queryArgument(String name) {
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String n = eq < 0 ? pair : pair.substring(0, eq);
            if (n.equalsIgnoreCase(name)) {
                return Optional.of(eq < 0 ? "" : pair.substring(eq + 1));
            }
        }
        return Optional.empty();
    }
}
