package io.imagescaler.handler.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.imagescaler.handler.error.ImageScalerException.InvalidRequest;
import io.imagescaler.handler.error.ImageScalerException.NotFound;
import io.imagescaler.handler.error.ImageScalerException.PayloadTooLarge;
import io.imagescaler.handler.intake.MemoryStores;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTPS fetch of a Kafka message's {@code {"url":...}} against a real TLS server on loopback (the JDK's
 * HttpsServer with a certificate keytool makes for the test, trusted by the client): the body of a 200, and
 * refusals for a declared or streamed body above the limit, a 404, a redirect (never followed) and a server
 * that does not answer in time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpsReferencesTest {
    static final byte[] PNG = MemoryStores.testImage("images/png-tiny-16x16.png");
    HttpsServer server;
    HttpsReferences references;
    String base;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore",
                store.toString(), "-storepass", "changeit").redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0, "keytool made the certificate");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.createContext("/cat.png", ex -> {
            ex.sendResponseHeaders(200, PNG.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(PNG);
            }
        });
        server.createContext("/streamed.png", ex -> {
            ex.sendResponseHeaders(200, 0);     // chunked: no declared length
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 10; i++) out.write(PNG);
            }
        });
        server.createContext("/moved.png", ex -> {
            ex.getResponseHeaders().add("Location", "https://127.0.0.1/cat.png");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/slow.png", ex -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, PNG.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(PNG);
            } catch (java.io.IOException gone) {
                // the client gave up
            }
        });
        server.createContext("/trickle.png", ex -> {
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                for (int i = 0; i < 30; i++) {
                    out.write(PNG[i]);
                    out.flush();
                    Thread.sleep(200);
                }
            } catch (java.io.IOException | InterruptedException gone) {
                // the client gave up
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        base = "https://127.0.0.1:" + server.getAddress().getPort();
        references = new HttpsReferences(HttpClient.newBuilder().sslContext(clientTls)
                .connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NEVER).build(),
                Duration.ofSeconds(1));
    }

    @AfterAll
    void stop() {
        if (server != null) server.stop(0);
    }

    @Test
    void theBodyOfA200IsTheImage() {
        assertArrayEquals(PNG, references.fetch(URI.create(base + "/cat.png"), 5 * 1024 * 1024));
    }

    @Test
    void aDeclaredLengthAboveTheLimitIsRefused() {
        assertThrows(PayloadTooLarge.class, () -> references.fetch(URI.create(base + "/cat.png"), PNG.length - 1));
    }

    @Test
    void aStreamedBodyAboveTheLimitIsRefused() {
        assertThrows(PayloadTooLarge.class, () -> references.fetch(URI.create(base + "/streamed.png"), PNG.length * 3L));
    }

    @Test
    void aMissingImageIsNotFound() {
        assertThrows(NotFound.class, () -> references.fetch(URI.create(base + "/nothing.png"), 1024 * 1024));
    }

    @Test
    void aRedirectIsNotFollowed() {
        var e = assertThrows(InvalidRequest.class, () -> references.fetch(URI.create(base + "/moved.png"), 1024 * 1024));
        assertTrue(e.getMessage().contains("redirects are not followed"), e.getMessage());
    }

    @Test
    void aBodyThatTricklesPastTheDeadlineIsRefused() {
        long t0 = System.nanoTime();
        var e = assertThrows(InvalidRequest.class, () -> references.fetch(URI.create(base + "/trickle.png"), 1024 * 1024));
        assertTrue(e.getMessage().contains("did not send its body"), e.getMessage());
        assertTrue((System.nanoTime() - t0) / 1e9 < 2.5, "bounded by the request timeout");
    }

    @Test
    void aServerThatDoesNotAnswerInTimeIsRefused() {
        long t0 = System.nanoTime();
        var e = assertThrows(InvalidRequest.class, () -> references.fetch(URI.create(base + "/slow.png"), 1024 * 1024));
        assertTrue(e.getMessage().contains("did not answer"), e.getMessage());
        assertTrue((System.nanoTime() - t0) / 1e9 < 2.5, "bounded by the request timeout");
    }
}
