package io.imagescaler.edge.gateway;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP front of the local edge (Javalin on 127.0.0.1): what CloudFront + API Gateway do for a
 * request. Variant GETs try the generated bucket first and fail over to the handler on 403/404, as the
 * CloudFront origin group does; everything else goes to the handler as an API Gateway proxy event.
 */
public final class EdgeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeServer.class);
    /** Signed-URL parameters: CloudFront consumes them; they never reach a cache or bucket key. */
    static final java.util.Set<String> SIGNATURE_PARAMS =
            java.util.Set.of("Expires", "Policy", "Signature", "Key-Pair-Id", "Hash-Algorithm");

    private final Javalin app;
    private final RequestStreamHandler handler;
    private final GeneratedBucketOrigin generated;
    private final AtomicLong handlerInvocations = new AtomicLong();
    private final AtomicLong bucketHits = new AtomicLong();

    private final Map<String, String> originHeaders;

    /**
     * @param originHeaders added to every request forwarded to the handler, as CloudFront's custom
     *                      origin headers are (X-Origin-Verify); a viewer cannot set or see them
     */
    public EdgeServer(RequestStreamHandler handler, GeneratedBucketOrigin generated, int port, long maxBodyBytes,
                      Map<String, String> originHeaders) {
        this.handler = handler;
        this.generated = generated;
        this.originHeaders = Map.copyOf(originHeaders);
        this.app = Javalin.create(config -> {
            config.jetty.host = "127.0.0.1";
            config.jetty.port = port;
            config.http.maxRequestSize = maxBodyBytes;
            config.startup.showJavalinBanner = false;
            // Registered before the catch-all, so it wins: the API's own description (samples/README.md).
            config.routes.addHttpHandler(HandlerType.GET, ApiDocument.PATH, ApiDocument::serve);
            for (HandlerType method : new HandlerType[] {HandlerType.GET, HandlerType.HEAD, HandlerType.POST,
                    HandlerType.PUT, HandlerType.DELETE, HandlerType.PATCH, HandlerType.OPTIONS}) {
                config.routes.addHttpHandler(method, "/<path>", this::serve);
            }
        });
    }

    public EdgeServer start() {
        app.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    /** How many requests reached the handler (a variant served from the bucket does not). */
    public long handlerInvocations() {
        return handlerInvocations.get();
    }

    public long bucketHits() {
        return bucketHits.get();
    }

    private void serve(Context ctx) throws Exception {
        String method = ctx.method().name();
        String path = ctx.path();
        Map<String, String> headers = new LinkedHashMap<>(ctx.headerMap());
        Map<String, String> query = new LinkedHashMap<>();
        ctx.queryParamMap().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.getFirst()));

        Optional<String> key = method.equals("GET") ? GeneratedBucketOrigin.keyFor(path) : Optional.empty();
        if (key.isPresent()) {
            Optional<ProxyEvents.EdgeResponse> hit = generated.fetch(key.get());
            if (hit.isPresent()) {
                bucketHits.incrementAndGet();
                write(ctx, notModified(hit.get(), headers.get("If-None-Match")));
                return;
            }
        }
        // A viewer's own copy of an origin header is dropped, then the edge's value is added.
        headers.keySet().removeIf(h -> originHeaders.keySet().stream().anyMatch(h::equalsIgnoreCase));
        headers.putAll(originHeaders);
        byte[] body = ctx.bodyAsBytes();
        var event = ProxyEvents.requestEvent(new ProxyEvents.EdgeRequest(method, path, query, headers, body, ctx.ip()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handlerInvocations.incrementAndGet();
        handler.handleRequest(new ByteArrayInputStream(event), out, new LocalLambdaContext(30_000));
        write(ctx, ProxyEvents.response(out.toByteArray()));
    }

    private static ProxyEvents.EdgeResponse notModified(ProxyEvents.EdgeResponse r, String ifNoneMatch) {
        if (ifNoneMatch != null && ifNoneMatch.equals(r.headers().get("ETag"))) {
            Map<String, String> h = new LinkedHashMap<>(r.headers());
            h.remove("Content-Type");
            return new ProxyEvents.EdgeResponse(304, h, new byte[0]);
        }
        return r;
    }

    private static void write(Context ctx, ProxyEvents.EdgeResponse r) {
        ctx.status(r.status());
        r.headers().forEach(ctx::header);
        if (r.body().length > 0) {
            ctx.result(r.body());
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
