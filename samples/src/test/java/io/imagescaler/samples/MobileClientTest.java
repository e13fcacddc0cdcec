package io.imagescaler.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.imagescaler.edge.LocalEdge;
import io.imagescaler.samples.mobile.MobileCommand;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mobile client run as its command line, against the in-process local edge (signed URLs with the edge's
 * dev key; a small response limit so that one variant is redirected).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MobileClientTest {
    @TempDir
    static Path data;
    @TempDir
    Path work;
    LocalEdge edge;
    String dice;

    @BeforeAll
    void start() throws Exception {
        edge = LocalEdge.start(0, data, Map.of("MAX_RESPONSE_BYTES", "100000"));
        dice = EdgeFixture.upload(edge, EdgeFixture.image("png-rgba-dice-800x600.png"));
    }

    @AfterAll
    void stop() {
        if (edge != null) edge.close();
    }

    record Run(int exit, String out, String err) {
    }

    private Run mobile(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = MobileCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        System.out.print(out);
        System.err.print(err);
        return new Run(exit, out.toString(), err.toString());
    }

    private String[] base(Path cache, String... more) {
        String[] common = {"--edge", edge.baseUrl(), "--data", data.toString(), "--cache", cache.toString(),
                "--out", work.resolve("out").toString(), "--backoff-ms", "50"};
        String[] all = new String[common.length + more.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(more, 0, all, common.length, more.length);
        return all;
    }

    @Test
    void picksThePresetForTheScreenRendersOnceThenServesFromBucketAndDeviceCache() throws Exception {
        Path phone = work.resolve("phone-cache");
        Run first = mobile(base(phone, "--width", "390", "--dpr", "3", "--", dice));
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.out().contains("390 dp x 3.0 = 1170 px -> p_hero.webp"), first.out());
        assertTrue(first.out().contains("-> 200 image/webp") && first.out().contains("from the handler (rendered now)")
                && first.out().contains("X-Cache: Miss, rendered"), first.out());
        BufferedImage shown = ImageIO.read(new ByteArrayInputStream(
                Files.readAllBytes(work.resolve("out").resolve(dice + "-p_hero.webp"))));
        // hero is 1600x900 cover; the 800x600 original is never enlarged without up_
        assertTrue(shown != null && shown.getWidth() > 0, "a decodable WebP");

        // Same phone again: the ETag goes out, a 304 comes back, the cached bytes are shown.
        Run again = mobile(base(phone, "--width", "390", "--dpr", "3", "--", dice));
        assertTrue(again.out().contains("-> 304") && again.out().contains("the device cache"), again.out());

        // Another phone (empty cache): the variant now comes from the generated bucket, no render.
        long before = edge.server().handlerInvocations();
        Run other = mobile(base(work.resolve("other-cache"), "--width", "430", "--dpr", "3", "--", dice));
        assertTrue(other.out().contains("from the generated bucket (X-Cache: Hit from generated bucket)"), other.out());
        assertEquals(before, edge.server().handlerInvocations(), "served without calling the handler");
    }

    @Test
    void followsTheRedirectOfAVariantTooBigForOneResponse() throws Exception {
        // 400 dp x 2 = 800 px -> w_960 on this ladder; as PNG the 800 px dice is ~200 KB > the 100 KB limit.
        Run run = mobile(base(work.resolve("c"), "--width", "400", "--dpr", "2", "--ladder", "320,640,960",
                "--format", "png", "--", dice));
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("-> w_960.png"), run.out());
        assertTrue(run.out().contains("[302 -> same URL again (stored, too big for one response)]")
                && run.out().contains("from the generated bucket"), run.out());
        BufferedImage png = ImageIO.read(work.resolve("out").resolve(dice + "-w_960.png").toFile());
        assertEquals(800, png.getWidth(), "never enlarged");
    }

    @Test
    void retriesServerErrorsAndDroppedConnectionsWithBackoff(@TempDir Path plainData) throws Exception {
        // The hop below forwards to the edge under the edge's own Host, which a signature for the hop's URL does
        // not cover; this test is about retries, so the edge behind it runs without the signed-URL check.
        try (LocalEdge plain = LocalEdge.start(0, plainData, Map.of("REQUIRE_SIGNED_URLS", "false"))) {
            retriesThrough(plain, EdgeFixture.upload(plain, EdgeFixture.image("png-rgba-dice-800x600.png")));
        }
    }

    private void retriesThrough(LocalEdge behind, String image) throws Exception {
        // A flaky hop in front of the edge: the first two requests are cut off, the 3rd gets a 503, the rest pass.
        // (The JDK client may itself repeat a GET once on a cut connection, so the client counts 3 or 4 tries.)
        AtomicInteger seen = new AtomicInteger();
        HttpClient forward = HttpClient.newHttpClient();
        HttpServer flaky = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        flaky.createContext("/", exchange -> {
            int n = seen.incrementAndGet();
            if (n <= 2) {
                exchange.close();       // no status line: the client sees a connection failure
                return;
            }
            if (n == 3) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            try {
                var b = HttpRequest.newBuilder(URI.create(behind.baseUrl() + exchange.getRequestURI()));
                for (String h : new String[] {"Accept", "If-None-Match"}) {
                    String v = exchange.getRequestHeaders().getFirst(h);
                    if (v != null) b.header(h, v);
                }
                HttpResponse<byte[]> r = forward.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                for (String h : new String[] {"Content-Type", "ETag", "X-Cache", "Location", "Cache-Control"}) {
                    r.headers().firstValue(h).ifPresent(v -> exchange.getResponseHeaders().add(h, v));
                }
                exchange.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
                exchange.getResponseBody().write(r.body());
            } catch (Exception e) {
                e.printStackTrace();
                exchange.sendResponseHeaders(502, -1);
            } finally {
                exchange.close();
            }
        });
        flaky.start();
        try {
            String[] args = base(work.resolve("flaky"), "--width", "360", "--dpr", "1", "--unsigned", "--", image);
            args[1] = "http://127.0.0.1:" + flaky.getAddress().getPort();
            Run run = mobile(args);
            assertEquals(0, run.exit(), run.out() + run.err());
            assertTrue(run.out().contains("p_card.webp -> 200") && (run.out().contains("3 requests")
                    || run.out().contains("4 requests")), run.out());
            assertEquals(4, seen.get(), "two cut connections, one 503, one answer");

            // Giving up is an answer too: with one attempt the cut-off connection is reported, not hidden.
            seen.set(0);
            String[] once = base(work.resolve("flaky2"), "--width", "360", "--dpr", "1", "--unsigned",
                    "--attempts", "1", "--", image);
            once[1] = args[1];
            Run failed = mobile(once);
            assertEquals(2, failed.exit());
            assertTrue(failed.err().contains("gave up after 1 attempts"), failed.err());
        } finally {
            flaky.stop(0);
        }
    }
}
