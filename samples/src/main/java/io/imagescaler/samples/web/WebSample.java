package io.imagescaler.samples.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagescaler.signer.DevKeyPair;
import io.imagescaler.signer.Srcset;
import io.imagescaler.signer.UrlSigner;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The web sample's own small server, playing the app's backend: it serves the static page
 * ({@code samples/web/}), signs one wildcard custom policy per image for the gallery's {@code srcset}
 * (the private key never reaches the browser), hands out the local dev token as a stand-in for a login
 * page, and forwards the page's API calls to the edge so they are same-origin, as a CloudFront behaviour
 * for {@code /v1/*} on the site's own distribution would (the API sends no CORS headers). Multipart parts
 * are the exception: the page PUTs them straight to their presigned storage URLs, which the bucket's CORS
 * rule allows (the local edge's S3 has the same rule).
 */
@Command(name = "web-sample", mixinStandardHelpOptions = true,
        description = "Serve the web sample on 127.0.0.1 next to a running local edge.")
public final class WebSample implements AutoCloseable, Callable<Integer> {
    /** The widths of every gallery srcset; a deployment with WIDTH_LADDER should list the same. */
    public static final int[] WIDTHS = {320, 640, 960, 1280, 1920};
    /** How the gallery lays images out: two columns from 800 CSS px up, full width below. */
    public static final String SIZES = "(min-width: 800px) 50vw, 100vw";
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

    @Option(names = "--port", defaultValue = "8090")
    int port;
    @Option(names = "--edge", defaultValue = "http://127.0.0.1:8080", description = "the local edge (or CDN) origin")
    URI edge;
    @Option(names = "--data", defaultValue = "data", description = "the local edge's data dir (dev token and key)")
    Path data;
    @Option(names = "--format", defaultValue = "auto", description = "variant format in the srcset (auto = from Accept)")
    String format;

    private Javalin app;
    private UrlSigner signer;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static WebSample start(int port, URI edge, Path data, String format) throws IOException {
        WebSample sample = new WebSample();
        sample.port = port;
        sample.edge = edge;
        sample.data = data;
        sample.format = format;
        return sample.start();
    }

    public WebSample start() throws IOException {
        signer = UrlSigner.with(DevKeyPair.loadOrCreate(data.resolve("cloudfront-keys"),
                DevKeyPair.DEFAULT_KEY_PAIR_ID).signingKey());
        app = Javalin.create(config -> {
            config.jetty.host = "127.0.0.1";
            config.jetty.port = port;
            config.startup.showJavalinBanner = false;
            config.http.maxRequestSize = 64L * 1024 * 1024;
            config.routes.addHttpHandler(HandlerType.GET, "/", ctx -> ctx.redirect("/samples/web/"));
            config.routes.addHttpHandler(HandlerType.GET, "/samples/web/", ctx -> file(ctx, "index.html"));
            config.routes.addHttpHandler(HandlerType.GET, "/samples/web/api/dev-token", this::devToken);
            config.routes.addHttpHandler(HandlerType.GET, "/samples/web/api/srcset/{id}", this::srcset);
            config.routes.addHttpHandler(HandlerType.GET, "/samples/web/{file}", ctx -> file(ctx, ctx.pathParam("file")));
            config.routes.addHttpHandler(HandlerType.POST, "/v1/images", this::forward);
            config.routes.addHttpHandler(HandlerType.POST, "/v1/uploads", this::forward);
            config.routes.addHttpHandler(HandlerType.POST, "/v1/uploads/{id}/complete", this::forward);
            config.routes.addHttpHandler(HandlerType.GET, "/v1/images/{id}/metadata", this::forward);
            config.routes.addHttpHandler(HandlerType.DELETE, "/v1/images/{id}", this::forward);
            config.routes.addHttpHandler(HandlerType.GET, "/v1/stats", this::forward);
            config.routes.addHttpHandler(HandlerType.POST, "/v1/images/{id}/jobs", this::forward);
            config.routes.addHttpHandler(HandlerType.GET, "/v1/jobs/{id}", this::forward);
        }).start();
        return this;
    }

    public int port() {
        return app.port();
    }

    public String pageUrl() {
        return "http://127.0.0.1:" + port() + "/samples/web/";
    }

    private void file(Context ctx, String name) throws IOException {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        InputStream in = name.contains("/") || !TYPES.containsKey(ext) ? null
                : WebSample.class.getResourceAsStream("/samples/web/" + name);
        if (in == null) {
            ctx.status(404).contentType("text/plain").result("no such file: " + name);
            return;
        }
        try (in) {
            ctx.contentType(TYPES.get(ext)).header("Cache-Control", "no-cache").result(in.readAllBytes());
        }
    }

    /**
     * Dev only: what a login page would give the browser after the user signed in (the edge's user token;
     * {@code ?who=admin}: the admin's, for the usage dashboard).
     */
    private void devToken(Context ctx) throws IOException {
        String who = "admin".equals(ctx.queryParam("who")) ? "admin" : "user";
        ctx.contentType("text/plain").header("Cache-Control", "no-store")
                .result(Files.readString(data.resolve("dev-issuer/" + who + ".jwt")).strip());
    }

    /**
     * One custom policy per image whose resource is {@code {edge}/v1/images/{id}/*}: the browser may fetch
     * whichever width it picks, and the signature is computed once. Valid one hour.
     */
    private void srcset(Context ctx) {
        String id = ctx.pathParam("id");
        if (!ID.matcher(id).matches()) {
            ctx.status(404).contentType("application/problem+json").result("{\"type\":\"https://image-scaler.dev/"
                    + "problems/not-found\",\"title\":\"Not found\",\"status\":404,\"detail\":\"not an image id\"}");
            return;
        }
        Instant expires = Instant.now().plus(Duration.ofHours(1));
        String srcset = Srcset.signed(signer, edge.toString(), w -> "/v1/images/" + id + "/w_" + w + "." + format,
                expires, WIDTHS);
        ObjectNode body = JSON.createObjectNode();
        body.put("srcset", srcset);
        body.put("sizes", SIZES);
        // The fallback src (browsers without srcset): the 640 px candidate, same signature.
        body.put("src", Arrays.stream(srcset.split(", ")).filter(c -> c.endsWith(" 640w")).findFirst()
                .orElseThrow().replace(" 640w", ""));
        body.put("expires", expires.toString());
        ctx.contentType("application/json").header("Cache-Control", "private, max-age=600").result(body.toString());
    }

    /** The page's API calls, passed to the edge with the headers that matter and answered as the edge answered. */
    private void forward(Context ctx) throws IOException, InterruptedException {
        String query = ctx.queryString() == null ? "" : "?" + ctx.queryString();
        HttpRequest.Builder b = HttpRequest.newBuilder(edge.resolve(ctx.path() + query)).timeout(Duration.ofSeconds(60))
                .method(ctx.method().name(), ctx.method() == HandlerType.POST
                        ? HttpRequest.BodyPublishers.ofByteArray(ctx.bodyAsBytes()) : HttpRequest.BodyPublishers.noBody());
        for (String h : new String[] {"Authorization", "Content-Type", "Accept", "Idempotency-Key"}) {
            String v = ctx.header(h);
            if (v != null) b.header(h, v);
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        ctx.status(r.statusCode());
        for (String h : new String[] {"Content-Type", "Location", "Cache-Control", "Idempotent-Replayed", "Link"}) {
            r.headers().firstValue(h).ifPresent(v -> ctx.header(h, v));
        }
        ctx.result(r.body());
    }

    @Override
    public Integer call() throws Exception {
        start();
        System.out.println("web sample on " + pageUrl() + " (edge " + edge + ")");
        Thread.currentThread().join();
        return 0;
    }

    @Override
    public void close() {
        if (app != null) app.stop();
    }

    public static void main(String[] args) {
        // the sample ships no logging backend; Javalin's own logs are not what a developer copies this for
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        System.exit(new CommandLine(new WebSample()).execute(args));
    }
}
