package io.imagescaler.sr;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The super-resolution server, speaking the SageMaker real-time inference container contract:
 * {@code GET /ping} answers 200 once the models are loaded (503 before), {@code POST /invocations} takes a
 * PNG, JPEG or WebP body and answers the upscaled image as PNG. The scale comes from the
 * {@code X-Scale} header, the {@code scale} query parameter, or {@code scale=N} in
 * {@code X-Amzn-SageMaker-Custom-Attributes} (the only per-request field InvokeEndpoint forwards).
 *
 * <p>Used three ways: {@code java -jar sr-endpoint.jar} (the container entry point), and in-process by
 * the local edge and the tests via {@link #start(int)} / {@link #start(SrConfig)}.
 */
public final class SrServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SrServer.class);
    private static final String PROBLEM_TYPE_BASE = "https://image-scaler.dev/problems/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SrConfig config;
    private final Javalin app;
    private final CompletableFuture<SuperResolution> models;

    private SrServer(SrConfig config) {
        this.config = config;
        this.models = new CompletableFuture<>();
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = config.maxInputBytes();
            cfg.routes.get("/ping", this::ping);
            cfg.routes.post("/invocations", this::invocations);
            cfg.routes.exception(InvocationProblem.class, (e, ctx) -> problem(ctx, e.status(), e.slug(), e.title(), e.getMessage()));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                log.error("invocation failed", e);
                problem(ctx, 500, "internal-error", "Internal error", "the upscale failed; see the server log");
            });
        });
    }

    /** Starts on 127.0.0.1:{@code port} (0 = a free port) with the default (CPU, medium) models. */
    public static SrServer start(int port) {
        return start(SrConfig.defaults().withPort(port));
    }

    /**
     * Binds the port at once and loads the models in the background: {@code /ping} says 503 until they
     * are loaded, as SageMaker expects from a container that is still starting.
     */
    public static SrServer start(SrConfig config) {
        OfflineEngine.ensure();
        for (String name : config.models().values()) EsrganModel.requireExists(name, config.modelDir());
        return start(config, () -> SuperResolution.load(config));
    }

    /** Loads through {@code loader} (tests hold it back to see the server before its models are ready). */
    static SrServer start(SrConfig config, Callable<SuperResolution> loader) {
        SrServer server = new SrServer(config);
        server.app.start(config.host(), config.port());
        log.info("sr-endpoint listening on {}:{} with {}", config.host(), server.port(), config.describe());
        Thread.ofPlatform().name("sr-model-loader").daemon().start(() -> {
            try {
                server.models.complete(loader.call());
                log.info("models ready");
            } catch (Throwable e) {
                log.error("model loading failed", e);
                server.models.completeExceptionally(e);
            }
        });
        return server;
    }

    public int port() {
        return app.port();
    }

    public URI baseUri() {
        String host = config.host().equals("0.0.0.0") ? "127.0.0.1" : config.host();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    public boolean ready() {
        return models.isDone() && !models.isCompletedExceptionally();
    }

    /** Waits until the models are loaded; throws if loading failed or took longer than {@code timeout}. */
    public SrServer awaitReady(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            models.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return this;
        } catch (ExecutionException e) {
            throw new IllegalStateException("sr-endpoint models failed to load: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void ping(Context ctx) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        if (ready()) {
            SuperResolution sr = models.join();
            body.put("status", "ready");
            body.put("models", sr.servedModels());
            body.put("provider", sr.provider());
            body.put("device", sr.provider()); // the field's older name
            Map<Integer, Object> serving = new java.util.TreeMap<>();
            sr.served().forEach((scale, s) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("model", s.model().name());
                m.put("provider", s.model().provider());
                m.put("precision", s.model().precision());
                m.put("wholeUpToPixels", s.tiling().maxWindowPixels());
                m.put("tile", s.tiling().tileSize());
                m.put("margin", s.tiling().margin());
                serving.put(scale, m);
            });
            body.put("serving", serving);
            ctx.status(200);
        } else {
            body.put("status", models.isCompletedExceptionally() ? "failed" : "loading");
            ctx.status(503);
        }
        ctx.contentType("application/json").result(JSON.writeValueAsBytes(body));
    }

    private void invocations(Context ctx) throws IOException {
        if (!ready())
            throw new InvocationProblem.NotReady(models.isCompletedExceptionally()
                    ? "the models failed to load; see the server log" : "the models are still loading; retry shortly");
        int scale = scale(ctx);
        byte[] body = readBody(ctx);
        SuperResolution.Answer answer = models.join().invoke(body, scale);
        SuperResolution.Timings t = answer.timings();
        ctx.status(200)
                .header("X-Scale", String.valueOf(scale))
                .header("X-Model", answer.model())
                .header("Server-Timing", "decode;dur=" + t.decodeMs() + ", sr;dur=" + t.inferMs() + ", encode;dur=" + t.encodeMs())
                .contentType("image/png")
                .result(answer.png());
    }

    private int scale(Context ctx) {
        String raw = ctx.header("X-Scale");
        if (raw == null) raw = ctx.queryParam("scale");
        if (raw == null) raw = customAttribute(ctx.header("X-Amzn-SageMaker-Custom-Attributes"), "scale");
        if (raw == null) return config.defaultScale();
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new InvocationProblem.InvalidRequest("scale must be an integer, not '" + raw + "'");
        }
    }

    static String customAttribute(String attributes, String key) {
        if (attributes == null) return null;
        for (String part : attributes.split("[,;]")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length == 2 && kv[0].trim().equals(key)) return kv[1].trim();
        }
        return null;
    }

    /** Reads at most maxInputBytes; chunked bodies carry no length up front, so count while reading. */
    private byte[] readBody(Context ctx) throws IOException {
        long max = config.maxInputBytes();
        long declared = ctx.req().getContentLengthLong();
        if (declared > max)
            throw new InvocationProblem.PayloadTooLarge("the body is " + declared + " bytes; at most " + max + " are accepted");
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (body.length > max)
                throw new InvocationProblem.PayloadTooLarge("the body is over " + max + " bytes");
            return body;
        }
    }

    private static void problem(Context ctx, int status, String slug, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", PROBLEM_TYPE_BASE + slug);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", ctx.path());
        try {
            ctx.status(status).contentType("application/problem+json").result(JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            ctx.status(status).result(title);
        }
    }

    @Override
    public void close() {
        app.stop();
        models.thenAccept(SuperResolution::close);
    }

    /** Container entry point; see {@link SrEndpointMain}, which sets up logging and DJL first. */
    static void serve() {
        SrServer server = start(SrConfig.fromEnvironment(System.getenv()));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "sr-shutdown"));
    }
}
