package io.imagescaler.edge.storage;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * DynamoDB Local (on disk under {@code <data>/dynamodb}, telemetry off). Its SQLite engine loads a native
 * library from a directory, so the library shipped inside our jar is copied next to the data first.
 */
public final class LocalDynamo implements AutoCloseable {
    private static final String NATIVE = "libsqlite4java-linux-amd64.so";

    private final DynamoDBProxyServer server;
    private final URI endpoint;

    private LocalDynamo(DynamoDBProxyServer server, URI endpoint) {
        this.server = server;
        this.endpoint = endpoint;
    }

    public static LocalDynamo start(Path dataDir, int port) throws Exception {
        Path db = Files.createDirectories(dataDir.resolve("dynamodb"));
        System.setProperty("sqlite4java.library.path", extractNative(dataDir).toString());
        DynamoDBProxyServer server = ServerRunner.createServerFromCommandLineArgs(new String[] {
                "-port", Integer.toString(port), "-dbPath", db.toString(), "-sharedDb", "-disableTelemetry"});
        server.start();
        return new LocalDynamo(server, URI.create("http://127.0.0.1:" + port));
    }

    private static Path extractNative(Path dataDir) throws IOException {
        Path dir = Files.createDirectories(dataDir.resolve("native"));
        try (InputStream in = LocalDynamo.class.getResourceAsStream("/native/" + NATIVE)) {
            if (in == null) {
                throw new IllegalStateException("the jar lacks /native/" + NATIVE + " (build with Maven)");
            }
            Files.copy(in, dir.resolve(NATIVE), StandardCopyOption.REPLACE_EXISTING);
        }
        return dir;
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
