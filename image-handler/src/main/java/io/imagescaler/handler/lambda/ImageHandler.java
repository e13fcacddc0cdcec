package io.imagescaler.handler.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.imagescaler.handler.api.HttpRequest;
import io.imagescaler.handler.api.HttpResponse;
import io.imagescaler.handler.api.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda entry point: an API Gateway REST proxy event in, a proxy response out. It only turns the
 * event into an {@link HttpRequest}, calls the {@link Router}, and turns the answer back into an event;
 * everything else is plain Java shared with the local edge.
 */
public final class ImageHandler implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ImageHandler.class);
    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private final Router router;
    /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
    private Priming priming;

    /** Lambda: configuration from the environment, built once per execution environment. */
    public ImageHandler() {
        this(Wiring.fromEnvironment(System::getenv));
    }

    private ImageHandler(Wiring wiring) {
        this(wiring.router());
        this.priming = new Priming(new io.imagescaler.handler.transform.Pipeline(), wiring.clients().presigner(),
                wiring.config().originalsBucket()).register();
    }

    /** The local edge and tests: the same handler over an explicit router. */
    public ImageHandler(Router router) {
        this.router = router;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        APIGatewayProxyRequestEvent event = JSON.readValue(input, APIGatewayProxyRequestEvent.class);
        HttpResponse response = router.handle(toRequest(event));
        JSON.writeValue(output, toEvent(response));
    }

    static HttpRequest toRequest(APIGatewayProxyRequestEvent e) {
        byte[] body = e.getBody() == null ? new byte[0]
                : Boolean.TRUE.equals(e.getIsBase64Encoded()) ? Base64.getDecoder().decode(e.getBody())
                : e.getBody().getBytes(StandardCharsets.UTF_8);
        Map<String, String> query = e.getQueryStringParameters() == null ? Map.of() : e.getQueryStringParameters();
        String rawQuery = query.entrySet().stream()
                .map(q -> q.getKey() + "=" + java.net.URLEncoder.encode(q.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return new HttpRequest(e.getHttpMethod(), e.getPath(), rawQuery, e.getHeaders(), query, body);
    }

    static APIGatewayProxyResponseEvent toEvent(HttpResponse r) {
        APIGatewayProxyResponseEvent out = new APIGatewayProxyResponseEvent();
        out.setStatusCode(r.status());
        out.setHeaders(new HashMap<>(r.headers()));
        if (r.body().length > 0) {
            boolean text = r.textual();
            out.setIsBase64Encoded(!text);
            out.setBody(text ? new String(r.body(), StandardCharsets.UTF_8)
                    : Base64.getEncoder().encodeToString(r.body()));
        } else {
            out.setIsBase64Encoded(false);
            out.setBody("");
        }
        return out;
    }
}
