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
import io.imagescaler.handler.tracing.Telemetry;
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
    private final ObjectCreated objectCreated;
    private final Runnable sweep;
    private final Telemetry telemetry;
    /** Held so CRaC (which keeps resources weakly) runs it before the SnapStart snapshot. */
    private Priming priming;

    /** What to do when S3 reports a completed large upload ({@code incoming/{id}}). */
    @FunctionalInterface
    public interface ObjectCreated {
        void process(io.imagescaler.spec.ImageId id);
    }

    /** Lambda: configuration from the environment, built once per execution environment. */
    public ImageHandler() {
        this(Wiring.fromEnvironment(System::getenv));
    }

    private ImageHandler(Wiring wiring) {
        this(wiring.router(), wiring.uploads()::process, wiring.sweeps(), wiring.telemetry());
        this.priming = new Priming(wiring.engine(), wiring.clients().presigner(),
                wiring.config().originalsBucket()).register();
    }

    /** The local edge and tests: the same handler over an explicit router (no S3 events). */
    public ImageHandler(Router router) {
        this(router, id -> LOG.warn("S3 event for {} ignored: no large-upload processing wired", id),
                () -> LOG.warn("scheduled sweep ignored: no large-upload processing wired"));
    }

    public ImageHandler(Router router, ObjectCreated objectCreated, Runnable sweep) {
        this(router, objectCreated, sweep, Telemetry.off());
    }

    /**
     * @param sweep     what the scheduled event (an EventBridge rule) runs: the large-upload and job sweepers
     * @param telemetry each API request's trace, log line and metrics
     */
    public ImageHandler(Router router, ObjectCreated objectCreated, Runnable sweep, Telemetry telemetry) {
        this.router = router;
        this.objectCreated = objectCreated;
        this.sweep = sweep;
        this.telemetry = telemetry;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        com.fasterxml.jackson.databind.JsonNode tree = JSON.readTree(input);
        if (tree.has("Records")) {
            handleS3Event(tree);
            return;
        }
        if ("aws.events".equals(tree.path("source").asText())
                && "Scheduled Event".equals(tree.path("detail-type").asText())) {
            sweep.run();
            return;
        }
        APIGatewayProxyRequestEvent event = JSON.treeToValue(tree, APIGatewayProxyRequestEvent.class);
        HttpRequest request = toRequest(event);
        // API Gateway (and the local edge) pass the trace they started as X-Amzn-Trace-Id.
        HttpResponse response = telemetry.serve(context == null ? java.util.UUID.randomUUID().toString()
                        : context.getAwsRequestId(), request.header("X-Amzn-Trace-Id"),
                () -> router.handle(request), HttpResponse::status);
        JSON.writeValue(output, toEvent(response));
    }

    /**
     * An S3 event notification (the same Lambda receives them): ObjectCreated for {@code incoming/{id}}
     * starts processing of a completed large upload; anything else is logged and ignored.
     */
    private void handleS3Event(com.fasterxml.jackson.databind.JsonNode tree) {
        for (var record : tree.get("Records")) {
            String source = record.path("eventSource").asText();
            String name = record.path("eventName").asText();
            String key = java.net.URLDecoder.decode(record.path("s3").path("object").path("key").asText(),
                    StandardCharsets.UTF_8);
            if (!"aws:s3".equals(source) || !name.startsWith("ObjectCreated:") || !key.startsWith("incoming/")
                    || !io.imagescaler.spec.ImageId.isValid(key.substring("incoming/".length()))) {
                LOG.warn("event ignored: {} {} {}", source, name, key);
                continue;
            }
            objectCreated.process(new io.imagescaler.spec.ImageId(key.substring("incoming/".length())));
        }
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
