package io.imagescaler.handler.upscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.imagescaler.handler.transform.Limits;
import io.imagescaler.handler.transform.Pipeline;
import io.imagescaler.handler.transform.Rendered;
import io.imagescaler.handler.transform.SourceInfo;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The handler's side of super-resolution against an HTTP server on loopback that speaks the
 * sr-endpoint contract ({@code POST /invocations}, {@code X-Scale}); here it enlarges with the engine's
 * Lanczos so the test can check scale choice, the final resize and the fallbacks. The real model
 * behind the same contract is tested in sr-endpoint and end to end in local-edge.
 */
class SuperResolutionTest {
    private final Pipeline engine = new Pipeline();
    private final List<Integer> scalesAsked = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private URI serve(int status, long delayMs) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/invocations", exchange -> {
            byte[] in = exchange.getRequestBody().readAllBytes();
            int scale = Integer.parseInt(exchange.getRequestHeaders().getFirst("X-Scale"));
            scalesAsked.add(scale);
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] out = new byte[0];
            if (status == 200) {
                SourceInfo info = engine.probe(in, Limits.DEFAULT);
                out = engine.render(in, info, TransformSpec.parse("w_" + info.width() * scale + ",up_lanczos"),
                        ImageFormat.PNG, Limits.DEFAULT).bytes();
            }
            exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static byte[] small() throws Exception {
        Path dice = Path.of("").toAbsolutePath();
        while (!Files.isDirectory(dice.resolve("testdata"))) {
            dice = dice.getParent();
        }
        byte[] src = Files.readAllBytes(dice.resolve("testdata/images/png-rgba-dice-800x600.png"));
        Pipeline p = new Pipeline();
        return p.render(src, p.probe(src, Limits.DEFAULT), TransformSpec.parse("w_200"), ImageFormat.PNG, Limits.DEFAULT)
                .bytes();
    }

    private SuperResolution.Result render(SuperResolution sr, String transform) throws Exception {
        byte[] src = small();
        SourceInfo info = engine.probe(src, Limits.DEFAULT);
        TransformSpec spec = TransformSpec.parse(transform);
        assertTrue(SuperResolution.applies(info, spec, Limits.DEFAULT));
        return sr.render(src, info, spec, ImageFormat.WEBP, Limits.DEFAULT);
    }

    @Test
    void picksTheSmallestScaleThatCoversTheTargetThenResizesExactly() throws Exception {
        var sr = new SuperResolution(Optional.of(new HttpUpscaler(serve(200, 0), new TreeSet<>(List.of(2, 4)),
                Duration.ofSeconds(10))), engine, 4_000_000);
        SuperResolution.Result x4 = render(sr, "w_700,up_sr");
        assertEquals("sr-x4", x4.method());
        assertEquals(Optional.empty(), x4.fallbackReason());
        assertEquals(700, x4.rendered().width());
        assertEquals(525, x4.rendered().height());
        assertTrue(x4.rendered().timings().asMap().containsKey("sr"));
        SuperResolution.Result x2 = render(sr, "w_300,h_300,fit_cover,up_sr");
        assertEquals("sr-x2", x2.method());
        assertEquals(300, x2.rendered().width());
        assertEquals(List.of(4, 2), scalesAsked);
    }

    @Test
    void aFailingOrSlowEndpointFallsBackToLanczosAndSaysWhy() throws Exception {
        var failing = new SuperResolution(Optional.of(new HttpUpscaler(serve(500, 0), new TreeSet<>(List.of(2, 4)),
                Duration.ofSeconds(10))), engine, 4_000_000);
        Rendered out = assertFallback(render(failing, "w_400,up_sr"), "answered 500");
        assertEquals(400, out.width());
        stop();
        var slow = new SuperResolution(Optional.of(new HttpUpscaler(serve(200, 3_000), new TreeSet<>(List.of(2, 4)),
                Duration.ofMillis(300))), engine, 4_000_000);
        assertFallback(render(slow, "w_400,up_sr"), "did not answer");
        var none = new SuperResolution(Optional.empty(), engine, 4_000_000);
        assertFallback(render(none, "w_400,up_sr"), "no super-resolution endpoint");
    }

    @Test
    void anSrResultResizedByTheFallbackEngineIsNotFinal() throws Exception {
        URI endpoint = serve(200, 0);
        var onLibvips = new SuperResolution(Optional.of(new HttpUpscaler(endpoint, new TreeSet<>(List.of(2, 4)),
                Duration.ofSeconds(10))), engine, 4_000_000);
        assertTrue(render(onLibvips, "w_700,up_sr").rendered().finalOutput());
        var onFallback = new SuperResolution(Optional.of(new HttpUpscaler(endpoint, new TreeSet<>(List.of(2, 4)),
                Duration.ofSeconds(10))), new Pipeline(new io.imagescaler.handler.transform.portable.JavaBackend()),
                4_000_000);
        SuperResolution.Result r = render(onFallback, "w_700,up_sr");
        assertEquals("sr-x4", r.method());
        // ImageService.store then serves it with a short cache life and never stores it
        assertFalse(r.rendered().finalOutput());
    }

    @Test
    void onlyEnlargingSrTransformsAreSuperResolved() throws Exception {
        SourceInfo info = engine.probe(small(), Limits.DEFAULT);
        assertFalse(SuperResolution.applies(info, TransformSpec.parse("w_100,up_sr"), Limits.DEFAULT));
        assertFalse(SuperResolution.applies(info, TransformSpec.parse("w_400,up_lanczos"), Limits.DEFAULT));
    }

    private static Rendered assertFallback(SuperResolution.Result r, String reason) {
        assertEquals("lanczos", r.method());
        assertTrue(r.fallbackReason().orElseThrow().contains(reason), r.fallbackReason().toString());
        return r.rendered();
    }
}
