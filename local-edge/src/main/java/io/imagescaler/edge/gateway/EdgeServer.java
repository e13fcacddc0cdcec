package io.imagescaler.edge.gateway;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.imagescaler.edge.access.ViewerSignatures;
import io.imagescaler.edge.firewall.WebAcls;
import io.imagescaler.edge.tracing.EdgeTrace;
import io.imagescaler.edge.tracing.TraceCollector;
import io.imagescaler.edge.negotiation.VariantRequestFunction;
import io.imagescaler.signer.Verdict;
import io.imagescaler.waf.WafRequest;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP front of the local edge (Javalin on 127.0.0.1): what CloudFront + WAF + API Gateway do for a
 * request, in CloudFront's order: the CloudFront web ACL; the signed-URL check of the pixel-serving
 * behaviours; the viewer-request CloudFront Function of variant GETs (run from its own source); for variant GETs the generated bucket, failing
 * over to the handler on 403/404 as the origin group does; the regional web ACL; the handler, called with an
 * API Gateway proxy event.
 */
public final class EdgeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeServer.class);
    public static final String TRACES_PATH = "/_local/traces";

    private final Javalin app;
    private final RequestStreamHandler handler;
    private final GeneratedBucketOrigin generated;
    private final AtomicLong handlerInvocations = new AtomicLong();
    private final AtomicLong bucketHits = new AtomicLong();

    private final Map<String, String> originHeaders;
    private final Behaviours behaviours;
    private final Optional<TraceCollector> traces;
    private final long maxBodyBytes;

    /**
     * What CloudFront (and the WAF in front of it and of API Gateway) does to a request before the origin sees it.
     *
     * @param signatures the signed-URL check of the pixel-serving behaviours
     * @param webAcls    the CloudFront and regional WAF web ACLs
     * @param variantRequest the CloudFront Function of the variant behaviour ({@code .auto}, percent-decoding)
     */
    public record Behaviours(ViewerSignatures signatures, WebAcls webAcls, VariantRequestFunction variantRequest,
                             java.util.List<String> corsOrigins) {
        public Behaviours(ViewerSignatures signatures, WebAcls webAcls, VariantRequestFunction variantRequest) {
            this(signatures, webAcls, variantRequest, java.util.List.of());
        }
    }

    /**
     * The paths of the variant behaviour: CloudFront's {@code /v1/images/*}{@code /*} (where '*' also matches '/')
     * less the two behaviours listed before it, {@code /original} and {@code /metadata}.
     */
    private static final Pattern VARIANT_BEHAVIOUR = Pattern.compile("^/v1/images/.+/.+$");
    private static final Pattern EARLIER_BEHAVIOURS = Pattern.compile("^/v1/images/.+/(original|metadata|jobs)$");
    /** CloudFront's {@code processed/*} behaviour: a job's results, straight from the generated bucket (signed). */
    private static final Pattern RESULTS_BEHAVIOUR = Pattern.compile("^/processed/[A-Za-z0-9_-]{43}/[^/]+$");

    /** What a browser's preflight may ask for: the API's methods and the headers its clients send. */
    static final String CORS_METHODS = "GET, HEAD, POST, DELETE, OPTIONS";
    static final String CORS_HEADERS = "Authorization, Content-Type, Idempotency-Key";
    /** A viewer that sends its body slower than this is cut off (Jetty's minimum request data rate). */
    static final long MIN_BODY_BYTES_PER_SECOND = 16 * 1024;

    /** API Gateway's answer to a body above its limit. */
    private static final ProxyEvents.EdgeResponse TOO_LARGE = new ProxyEvents.EdgeResponse(413,
            Map.of("Content-Type", "application/json", "Connection", "close"),
            "{\"message\":\"Request Too Long\"}".getBytes(StandardCharsets.UTF_8));

    /** WAF's default block on a CloudFront distribution: 403 and CloudFront's error page. */
    private static final ProxyEvents.EdgeResponse CLOUDFRONT_WAF_BLOCK = new ProxyEvents.EdgeResponse(403,
            Map.of("Content-Type", "text/html", "X-Cache", "Error from cloudfront"),
            ("<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\"><HTML><HEAD><TITLE>ERROR: The request"
                    + " could not be satisfied</TITLE></HEAD><BODY><H1>403 ERROR</H1><H2>The request could not be"
                    + " satisfied.</H2>Request blocked.</BODY></HTML>").getBytes(StandardCharsets.UTF_8));
    /** WAF's block in front of API Gateway: API Gateway's own 403 body. */
    private static final ProxyEvents.EdgeResponse API_GATEWAY_WAF_BLOCK = new ProxyEvents.EdgeResponse(403,
            Map.of("Content-Type", "application/json", "x-amzn-ErrorType", "ForbiddenException"),
            "{\"message\":\"Forbidden\"}".getBytes(StandardCharsets.UTF_8));

    /**
     * @param originHeaders added to every request forwarded to the handler, as CloudFront's custom
     *                      origin headers are (X-Origin-Verify); a viewer cannot set or see them
     */
    public EdgeServer(RequestStreamHandler handler, GeneratedBucketOrigin generated, int port, long maxBodyBytes,
                      Map<String, String> originHeaders, Behaviours behaviours) {
        this(handler, generated, port, maxBodyBytes, originHeaders, behaviours, Optional.empty());
    }

    /**
     * @param traces where the edge's own segment of each request goes, and what {@code GET /_local/traces}
     *               shows; empty = requests are not traced
     */
    public EdgeServer(RequestStreamHandler handler, GeneratedBucketOrigin generated, int port, long maxBodyBytes,
                      Map<String, String> originHeaders, Behaviours behaviours, Optional<TraceCollector> traces) {
        this.handler = handler;
        this.traces = traces;
        this.generated = generated;
        this.originHeaders = Map.copyOf(originHeaders);
        this.behaviours = behaviours;
        this.maxBodyBytes = maxBodyBytes;
        this.app = Javalin.create(config -> {
            config.jetty.host = "127.0.0.1";
            config.jetty.port = port;
            config.http.maxRequestSize = maxBodyBytes;
            // Slow clients cannot hold the edge: one virtual thread per request (no pool to exhaust), and a
            // body that trickles in below the minimum rate is cut off.
            config.concurrency.useVirtualThreads = true;
            config.jetty.modifyHttpConfiguration(http -> http.setMinRequestDataRate(MIN_BODY_BYTES_PER_SECOND));
            config.startup.showJavalinBanner = false;
            // Registered before the catch-all, so it wins: the API's own description (samples/README.md).
            config.routes.addHttpHandler(HandlerType.GET, ApiDocument.PATH, ApiDocument::serve);
            // The local X-Ray console: recent traces received on the daemon port (README, Tracing).
            traces.ifPresent(t -> config.routes.addHttpHandler(HandlerType.GET, TRACES_PATH,
                    ctx -> ctx.contentType("application/json").result(t.view().toString())));
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

    /**
     * Each request gets the edge's segment (API Gateway's, on AWS); the trace id goes back to the viewer as
     * {@code X-Amzn-Trace-Id}, as API Gateway answers it.
     */
    private void serve(Context ctx) throws Exception {
        if (traces.isEmpty()) {
            serve(ctx, Optional.empty());
            return;
        }
        EdgeTrace trace = EdgeTrace.begin();
        ctx.header("X-Amzn-Trace-Id", "Root=" + trace.traceId());
        int status = 500;
        try {
            serve(ctx, Optional.of(trace));
            status = ctx.statusCode();
        } finally {
            traces.get().accept(trace.end(ctx.method().name(), ctx.path(), status));
        }
    }

    private void serve(Context ctx, Optional<EdgeTrace> trace) throws Exception {
        // A declared body above the limit is refused before a byte of it is read, as API Gateway does.
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBodyBytes) {
            write(ctx, TOO_LARGE, false);
            return;
        }
        String method = ctx.method().name();
        boolean head = method.equals("HEAD");
        String path = ctx.path();
        Map<String, String> viewerHeaders = new LinkedHashMap<>(ctx.headerMap());
        String origin = header(viewerHeaders, "Origin");
        if (method.equals("OPTIONS") && origin != null && header(viewerHeaders, "Access-Control-Request-Method") != null) {
            write(ctx, preflight(origin), false);
            return;
        }
        serveRequest(ctx, trace, head);
        if (origin != null && corsAllows(origin)) {
            ctx.header("Access-Control-Allow-Origin", origin);
            ctx.header("Vary", "Origin");
        }
    }

    /** API Gateway's CORS answer: the configured origins may call the API from a browser. */
    private ProxyEvents.EdgeResponse preflight(String origin) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Vary", "Origin");
        if (corsAllows(origin)) {
            h.put("Access-Control-Allow-Origin", origin);
            h.put("Access-Control-Allow-Methods", CORS_METHODS);
            h.put("Access-Control-Allow-Headers", CORS_HEADERS);
            h.put("Access-Control-Max-Age", "600");
        }
        return new ProxyEvents.EdgeResponse(204, h, new byte[0]);
    }

    private boolean corsAllows(String origin) {
        return behaviours.corsOrigins().stream().anyMatch(allowed -> allowed.equals("*")
                || origin.matches(io.imagescaler.edge.storage.UploadCors.regexOf(allowed)));
    }

    private void serveRequest(Context ctx, Optional<EdgeTrace> trace, boolean head) throws Exception {
        // HEAD is checked and looked up as GET (CloudFront caches GET and HEAD alike) and reaches the
        // handler as HEAD; the answer never carries a body.
        String method = head ? "GET" : ctx.method().name();
        String path = ctx.path();
        String rawQuery = ctx.queryString() == null ? "" : ctx.queryString();
        String viewerIp = ctx.ip();
        Map<String, String> headers = new LinkedHashMap<>(ctx.headerMap());
        byte[] body = head ? new byte[0] : ctx.bodyAsBytes();

        // 1. CloudFront's web ACL sees the request first, as the viewer sent it.
        if (behaviours.webAcls().viewer(new WafRequest(method, path, headers, rawQuery, body.length, viewerIp,
                Instant.now())).blocked()) {
            write(ctx, CLOUDFRONT_WAF_BLOCK, head);
            return;
        }
        // 2. The signed-URL check, on the URL exactly as sent (the signature covers ".auto" and the query).
        if (behaviours.signatures().protects(method, path)) {
            Verdict verdict = behaviours.signatures().verify(viewerUrl(headers, path, rawQuery),
                    header(headers, "Cookie"), viewerIp);
            if (!verdict.allowed()) {
                LOG.info("signature refused for {} {} from {}: {} ({})", method, path, viewerIp, verdict.outcome(),
                        verdict.reason());
                write(ctx, new ProxyEvents.EdgeResponse(403, Map.of("Content-Type", "text/xml",
                        "X-Cache", "Error from cloudfront"), verdict.errorXml().getBytes(StandardCharsets.UTF_8)), head);
                return;
            }
        }
        // 2b. The results behaviour: only the generated bucket behind it (no handler); a miss is S3's answer.
        if (path.startsWith("/processed/")) {
            Optional<ProxyEvents.EdgeResponse> stored = method.equals("GET") && RESULTS_BEHAVIOUR.matcher(path).matches()
                    ? generated.fetch(path.substring(1)) : Optional.empty();
            write(ctx, stored.orElseGet(() -> new ProxyEvents.EdgeResponse(method.equals("GET") ? 404 : 403,
                    Map.of("Content-Type", "application/xml", "X-Cache", "Error from cloudfront"),
                    ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + (method.equals("GET") ? "NoSuchKey"
                            : "MethodNotAllowed") + "</Code></Error>").getBytes(StandardCharsets.UTF_8))), head);
            return;
        }
        // 3. The variant behaviour's CloudFront Function, before any bucket or cache key is computed: percent-escapes
        //    decoded, ".auto" negotiated. It strips /v1/images for the bucket; the handler's origin path puts it back.
        String originPath = path;
        if (VARIANT_BEHAVIOUR.matcher(path).matches() && !EARLIER_BEHAVIOURS.matcher(path).matches()) {
            originPath = "/v1/images" + behaviours.variantRequest().originUri(method, path, headers);
        }
        // 4. Origin group, first origin: the generated bucket, keyed on the path alone (never the query).
        Optional<String> key = method.equals("GET") ? GeneratedBucketOrigin.keyFor(originPath) : Optional.empty();
        if (key.isPresent()) {
            Optional<ProxyEvents.EdgeResponse> hit = trace.isEmpty() ? generated.fetch(key.get())
                    : trace.get().subsegment("generated-bucket", () -> generated.fetch(key.get()));
            trace.ifPresent(t -> annotateVariant(t, key.get(), hit.isPresent()));
            if (hit.isPresent()) {
                bucketHits.incrementAndGet();
                write(ctx, notModified(hit.get(), headers.get("If-None-Match")), head);
                return;
            }
        }
        // 5. To API Gateway: a viewer's own copy of an origin header is dropped, then the edge's value is added;
        //    X-Forwarded-For gets the viewer's address appended, as CloudFront does.
        headers.keySet().removeIf(h -> originHeaders.keySet().stream().anyMatch(h::equalsIgnoreCase));
        headers.putAll(originHeaders);
        String forwardedFor = header(headers, "X-Forwarded-For");
        headers.keySet().removeIf(h -> h.equalsIgnoreCase("X-Forwarded-For"));
        headers.put("X-Forwarded-For", forwardedFor == null || forwardedFor.isBlank() ? viewerIp
                : forwardedFor + ", " + viewerIp);
        // The handler's segment joins the edge's trace, as a Lambda behind API Gateway joins API Gateway's.
        headers.keySet().removeIf(h -> h.equalsIgnoreCase("X-Amzn-Trace-Id"));
        trace.ifPresent(t -> headers.put("X-Amzn-Trace-Id", t.downstreamHeader()));
        // 6. The regional web ACL in front of API Gateway.
        if (behaviours.webAcls().origin(new WafRequest(method, originPath, headers, rawQuery, body.length, viewerIp,
                Instant.now())).blocked()) {
            write(ctx, API_GATEWAY_WAF_BLOCK, head);
            return;
        }
        Map<String, String> query = new LinkedHashMap<>();
        ctx.queryParamMap().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.getFirst()));
        var event = ProxyEvents.requestEvent(new ProxyEvents.EdgeRequest(ctx.method().name(), originPath, query, headers, body,
                viewerIp));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handlerInvocations.incrementAndGet();
        handler.handleRequest(new ByteArrayInputStream(event), out, new LocalLambdaContext(30_000));
        ProxyEvents.EdgeResponse response = ProxyEvents.response(out.toByteArray());
        write(ctx, originPath.equals(path) ? response : askAgainAtViewerPath(response, originPath, path), head);
    }

    /**
     * "Stored, ask again" names the path the handler saw; after an ".auto" rewrite the viewer must ask for its own
     * (signed) URL again, which the edge rewrites the same way and then finds in the generated bucket.
     */
    private static ProxyEvents.EdgeResponse askAgainAtViewerPath(ProxyEvents.EdgeResponse r, String originPath,
                                                                 String viewerPath) {
        String location = r.headers().get("Location");
        if (r.status() != 302 || location == null || !location.startsWith(originPath)
                || (location.length() > originPath.length() && location.charAt(originPath.length()) != '?')) {
            return r;
        }
        Map<String, String> h = new LinkedHashMap<>(r.headers());
        h.put("Location", viewerPath + location.substring(originPath.length()));
        return new ProxyEvents.EdgeResponse(r.status(), h, r.body());
    }

    /** The generated-bucket key is {@code {id}/{transform}.{fmt}}: the same annotations the handler sets. */
    private static void annotateVariant(EdgeTrace trace, String key, boolean hit) {
        int slash = key.indexOf('/');
        trace.annotate("image_id", key.substring(0, slash));
        trace.annotate("transform", key.substring(slash + 1));
        trace.annotate("cache", hit ? "hit" : "miss");
    }

    /** The URL as the viewer asked for it: what CloudFront matches a policy's Resource against. */
    private String viewerUrl(Map<String, String> headers, String path, String rawQuery) {
        String host = header(headers, "Host");
        return "http://" + (host == null || host.isBlank() ? "127.0.0.1:" + port() : host) + path
                + (rawQuery.isEmpty() ? "" : "?" + rawQuery);
    }

    private static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    private static ProxyEvents.EdgeResponse notModified(ProxyEvents.EdgeResponse r, String ifNoneMatch) {
        if (ifNoneMatch != null && ifNoneMatch.equals(r.headers().get("ETag"))) {
            Map<String, String> h = new LinkedHashMap<>(r.headers());
            h.remove("Content-Type");
            return new ProxyEvents.EdgeResponse(304, h, new byte[0]);
        }
        return r;
    }

    private static void write(Context ctx, ProxyEvents.EdgeResponse r, boolean head) {
        ctx.status(r.status());
        r.headers().forEach(ctx::header);
        if (head) {
            // the handler's HEAD answer names the GET's length; a bucket hit still has its body here
            if (r.headers().keySet().stream().noneMatch(k -> k.equalsIgnoreCase("Content-Length"))) {
                ctx.header("Content-Length", Integer.toString(r.body().length));
            }
        } else if (r.body().length > 0) {
            ctx.result(r.body());
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
