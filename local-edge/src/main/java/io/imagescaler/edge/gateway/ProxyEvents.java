package io.imagescaler.edge.gateway;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the API Gateway REST proxy event JSON that the Lambda receives (binary media types {@code *}/{@code *},
 * so every body travels base64), and reads the proxy response JSON back. The handler sees exactly the
 * bytes it sees on AWS.
 */
public final class ProxyEvents {
    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private ProxyEvents() {
    }

    /** The request as the edge received it, headers already decided (e.g. X-Origin-Verify added). */
    public record EdgeRequest(String method, String path, Map<String, String> query, Map<String, String> headers,
                              byte[] body, String sourceIp) {
    }

    public record EdgeResponse(int status, Map<String, String> headers, byte[] body) {
    }

    public static byte[] requestEvent(EdgeRequest r) throws IOException {
        APIGatewayProxyRequestEvent e = new APIGatewayProxyRequestEvent();
        e.setResource("/{proxy+}");
        e.setPath(r.path());
        e.setHttpMethod(r.method());
        e.setHeaders(new LinkedHashMap<>(r.headers()));
        Map<String, List<String>> multi = new LinkedHashMap<>();
        r.headers().forEach((k, v) -> multi.put(k, List.of(v)));
        e.setMultiValueHeaders(multi);
        if (!r.query().isEmpty()) {
            e.setQueryStringParameters(new LinkedHashMap<>(r.query()));
            Map<String, List<String>> mq = new LinkedHashMap<>();
            r.query().forEach((k, v) -> mq.put(k, List.of(v)));
            e.setMultiValueQueryStringParameters(mq);
        }
        e.setPathParameters(Map.of("proxy", r.path().substring(1)));
        var identity = new APIGatewayProxyRequestEvent.RequestIdentity();
        identity.setSourceIp(r.sourceIp());
        var ctx = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        ctx.setIdentity(identity);
        ctx.setRequestId(UUID.randomUUID().toString());
        ctx.setStage("local");
        ctx.setHttpMethod(r.method());
        ctx.setPath(r.path());
        ctx.setResourcePath("/{proxy+}");
        ctx.setRequestTimeEpoch(Instant.now().toEpochMilli());
        e.setRequestContext(ctx);
        if (r.body().length > 0) {
            e.setBody(Base64.getEncoder().encodeToString(r.body()));
            e.setIsBase64Encoded(true);
        } else {
            e.setIsBase64Encoded(false);
        }
        return JSON.writeValueAsBytes(e);
    }

    public static EdgeResponse response(byte[] eventJson) throws IOException {
        APIGatewayProxyResponseEvent e = JSON.readValue(eventJson, APIGatewayProxyResponseEvent.class);
        byte[] body = e.getBody() == null ? new byte[0]
                : Boolean.TRUE.equals(e.getIsBase64Encoded()) ? Base64.getDecoder().decode(e.getBody())
                : e.getBody().getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = e.getHeaders() == null ? Map.of() : e.getHeaders();
        return new EdgeResponse(e.getStatusCode(), headers, body);
    }
}
