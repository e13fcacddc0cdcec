package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.edge.access.DevIssuer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local edge behaves like the services it stands in for under hostile or odd clients: an oversized
 * declared body is refused before it is read, slow bodies do not stop other requests, 405 names what is
 * allowed, HEAD works wherever GET does, a browser's preflight is answered from the configured origins,
 * and WAF blocks are counted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EdgeHardeningTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path data;
    LocalEdge edge;
    String token;
    String id;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        edge = LocalEdge.start(0, data, Map.of("REQUIRE_SIGNED_URLS", "false", "TRACING", "off", "LOCAL_SR", "false",
                "UPLOAD_CORS_ORIGINS", "http://localhost:*"));
        token = Files.readString(edge.issuer().tokenFile(DevIssuer.USER));
        var r = send(request("/v1/images").POST(HttpRequest.BodyPublishers.ofByteArray(
                Fixtures.image("png-tiny-16x16.png"))));
        assertEquals(201, r.statusCode(), new String(r.body()));
        id = JSON.readTree(r.body()).get("id").asText();
    }

    @AfterAll
    void stop() {
        if (edge != null) edge.close();
    }

    @Test
    void aDeclaredBodyAboveTheLimitIs413AtOnce() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), edge.port())) {
            s.setSoTimeout(5000);
            long t0 = System.nanoTime();
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/images HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\n"
                    + "Content-Length: 2147483648\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(s.getInputStream())).readLine();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("edge | 2 GiB Content-Length: '%s' after %d ms, no body byte sent%n", status, ms);
            assertTrue(status.startsWith("HTTP/1.1 413"), status);
            assertTrue(ms < 3000, ms + " ms");
        }
    }

    @Test
    void slowBodiesDoNotStopOtherRequests() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), edge.port());
                s.getOutputStream().write(("POST /v1/images HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\nx")
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                slow.add(s);
            }
            long t0 = System.nanoTime();
            var meta = send(request("/v1/images/" + id + "/metadata").GET());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("edge | metadata with 300 slow-body connections open: %d in %d ms%n", meta.statusCode(), ms);
            assertEquals(200, meta.statusCode());
            assertTrue(ms < 5000, ms + " ms");
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void methodNotAllowedNamesTheAllowedMethods() throws Exception {
        var put = send(request("/v1/images").PUT(HttpRequest.BodyPublishers.ofString("x")));
        assertEquals(405, put.statusCode());
        assertEquals("POST", put.headers().firstValue("Allow").orElse(""));
        var post = send(request("/v1/images/" + id + "/metadata").POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
    }

    @Test
    void headIsServedWhereverGetIs() throws Exception {
        for (String path : List.of("/v1/images/" + id + "/metadata", "/v1/images/" + id + "/original",
                "/v1/images/" + id + "/w_8.png", "/v1/images/" + id + "/w_8.png")) {
            var get = send(request(path).GET());
            var head = send(request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()));
            assertEquals(get.statusCode(), head.statusCode(), path);
            assertEquals(200, head.statusCode(), path);
            assertArrayEquals(new byte[0], head.body(), path);
            assertEquals(get.headers().firstValue("Content-Type"), head.headers().firstValue("Content-Type"), path);
            assertEquals(String.valueOf(get.body().length), head.headers().firstValue("Content-Length").orElse(""), path);
        }
    }

    @Test
    void aPreflightIsAnsweredFromTheConfiguredOrigins() throws Exception {
        var allowed = send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images"))
                .header("Origin", "http://localhost:3000").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, idempotency-key")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertEquals(204, allowed.statusCode());
        assertEquals("http://localhost:3000", allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertTrue(allowed.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));
        assertTrue(allowed.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Idempotency-Key"));
        var other = send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images"))
                .header("Origin", "http://elsewhere.example").header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertEquals(204, other.statusCode());
        assertFalse(other.headers().firstValue("Access-Control-Allow-Origin").isPresent());
        var get = send(request("/v1/images/" + id + "/metadata").header("Origin", "http://localhost:3000").GET());
        assertEquals("http://localhost:3000", get.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
    }

    @Test
    void wafBlocksAreCounted() throws Exception {
        long before = edge.webAcls().blocked();
        for (int i = 0; i < 3; i++) {
            var r = send(request("/v1/images").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[5 * 1024 * 1024 + 1])));
            assertEquals(403, r.statusCode());
        }
        assertEquals(before + 3, edge.webAcls().blocked());
    }

    /**
     * Every TCP socket this JVM listens on (the edge, S3Proxy, DynamoDB Local, the mail and Rekognition
     * stand-ins) is bound to 127.0.0.1: read from /proc (this JVM's socket inodes
     * against the kernel's socket tables), without sending anything anywhere.
     */
    @Test
    void everyLocalServerListensOnLoopbackOnly() throws Exception {
        Path fds = Path.of("/proc/self/fd");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(fds), "no /proc here");
        java.util.Set<String> inodes = new java.util.HashSet<>();
        try (var links = Files.list(fds)) {
            for (Path fd : (Iterable<Path>) links::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (java.io.IOException gone) {
                    // closed meanwhile
                }
            }
        }
        List<String> listening = new ArrayList<>();
        List<String> wide = new ArrayList<>();
        // TCP listeners are the servers. (UDP is left out: the X-Ray emitters of earlier edges in this JVM send
        // from wildcard-bound ephemeral sockets, which cannot be told from a listener here; the one UDP
        // server, the trace collector, binds InetAddress.getLoopbackAddress() in TraceCollector.start.)
        for (String table : List.of("tcp", "tcp6")) {
            Path file = Path.of("/proc/net/" + table);
            if (!Files.exists(file)) continue;
            for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
                String[] f = line.trim().split("\\s+");
                if (!f[3].equals("0A") || !inodes.contains(f[9])) continue;
                String local = f[1];
                String address = local.substring(0, local.indexOf(':'));
                int port = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
                listening.add(table + ":" + port);
                boolean loopback = address.equals("0100007F") || address.equals("00000000000000000000000001000000")
                        || address.equals("0000000000000000FFFF00000100007F");
                if (!loopback) {
                    wide.add(table + " port " + port + " bound to " + address);
                }
            }
        }
        System.out.printf("edge | listening sockets of this JVM: %s; not on loopback: %s%n", listening, wide);
        assertTrue(listening.size() >= 4, "found the servers: " + listening);
        assertTrue(wide.isEmpty(), "bound beyond loopback: " + wide);
        assertTrue(listening.contains("tcp:" + edge.localDynamo().endpoint().getPort())
                || listening.contains("tcp6:" + edge.localDynamo().endpoint().getPort()), "DynamoDB Local found");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(edge.baseUrl() + path)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30));
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
