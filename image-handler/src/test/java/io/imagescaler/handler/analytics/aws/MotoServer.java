package io.imagescaler.handler.analytics.aws;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * moto's server (installed here for Python 3.11) on a free loopback port, for the AWS adapters' tests
 * (analytics, events); a test that needs it is skipped, with the reason, where it is not installed.
 */
public final class MotoServer implements AutoCloseable {
    public static final AwsCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local-secret"));
    private final Process process;
    private final URI endpoint;

    private MotoServer(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    public static MotoServer startOrSkip() throws Exception {
        Path server = List.of(Path.of("/root/.pyenv/shims/moto_server"), Path.of("/usr/local/bin/moto_server"),
                Path.of("/usr/bin/moto_server")).stream().filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(server != null, "moto_server is not installed: skipping this AWS adapter test");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(server.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        MotoServer moto = new MotoServer(p, URI.create("http://127.0.0.1:" + port));
        Instant deadline = Instant.now().plusSeconds(30);
        while (!listening(port)) {
            if (!p.isAlive() || Instant.now().isAfter(deadline)) {
                moto.close();
                assumeTrue(false, "moto_server did not start listening within 30 s");
            }
            Thread.sleep(200);
        }
        return moto;
    }

    public URI endpoint() {
        return endpoint;
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
