package io.imagescaler.handler.api;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response before it is put in an envelope (API Gateway proxy response, or the local edge's HTTP). */
public record HttpResponse(int status, Map<String, String> headers, byte[] body) {

    public HttpResponse {
        headers = new LinkedHashMap<>(headers);
        body = body == null ? new byte[0] : body;
    }

    public static HttpResponse of(int status, String contentType, byte[] body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", contentType);
        return new HttpResponse(status, h, body);
    }

    public static HttpResponse json(int status, String json) {
        return of(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    public HttpResponse with(String header, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(header, value);
        return new HttpResponse(status, h, body);
    }

    /** Whether the body is text that can travel in an API Gateway envelope without base64. */
    public boolean textual() {
        String type = headers.getOrDefault("Content-Type", "");
        return type.startsWith("application/json") || type.startsWith("application/problem+json")
                || type.startsWith("text/");
    }
}
