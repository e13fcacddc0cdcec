package io.imagescaler.handler.api;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A request as the API sees it, whatever carried it (an API Gateway proxy event on Lambda, the same
 * event built by the local edge). Header names are case-insensitive.
 *
 * @param rawQuery the query string as received (without '?'), kept for redirects that must re-carry
 *                 signed-URL parameters; empty when none
 */
public record HttpRequest(String method, String path, String rawQuery, Map<String, String> headers,
                          Map<String, String> query, byte[] body) {

    public HttpRequest {
        TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) h.putAll(headers);
        headers = h;
        query = query == null ? Map.of() : Map.copyOf(query);
        body = body == null ? new byte[0] : body;
        method = method.toUpperCase(Locale.ROOT);
        rawQuery = rawQuery == null ? "" : rawQuery;
    }

    /** The same request under another method (HEAD is answered as the GET it mirrors). */
    public HttpRequest withMethod(String other) {
        return new HttpRequest(other, path, rawQuery, headers, query, body);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }
}
