package io.imagescaler.edge.storage;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.io.IOException;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * DynamoDB Local (on disk under {@code <data>/dynamodb}, telemetry off), on 127.0.0.1 only. Its SQLite
 * engine loads a native library from a directory, so the library shipped inside our jar is copied next to
 * the data first. DynamoDB Local has no host option (only {@code -port}; its Jetty connector binds every
 * interface), so the connector's host is set before it starts.
 */
public final class LocalDynamo implements AutoCloseable {
    private static final String NATIVE = "libsqlite4java-linux-amd64.so";

    private final Path db;
    private final int port;
    private final URI endpoint;
    private DynamoDBProxyServer server;

    private LocalDynamo(Path db, int port) {
        this.db = db;
        this.port = port;
        this.endpoint = URI.create("http://127.0.0.1:" + port);
    }

    public static LocalDynamo start(Path dataDir, int port) throws Exception {
        Path db = Files.createDirectories(dataDir.resolve("dynamodb"));
        System.setProperty("sqlite4java.library.path", extractNative(dataDir).toString());
        LocalDynamo dynamo = new LocalDynamo(db, port);
        dynamo.start();
        return dynamo;
    }

    /** Starts (again, after {@link #stop}) on the same port and data: a fault test's recovery. */
    public synchronized void start() throws Exception {
        if (server != null) {
            return;
        }
        DynamoDBProxyServer s = ServerRunner.createServerFromCommandLineArgs(new String[] {
                "-port", Integer.toString(port), "-dbPath", db.toString(), "-sharedDb", "-disableTelemetry"});
        onLoopbackOnly(s);
        s.start();
        server = s;
    }

    /** Stops the server; clients then meet a closed port (a fault test's outage). */
    public synchronized void stop() throws Exception {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    private static void onLoopbackOnly(DynamoDBProxyServer proxy) throws ReflectiveOperationException {
        Field field = DynamoDBProxyServer.class.getDeclaredField("server");
        field.setAccessible(true);
        Server jetty = (Server) field.get(proxy);
        for (Connector c : jetty.getConnectors()) {
            if (c instanceof ServerConnector sc) {
                sc.setHost("127.0.0.1");
            } else {
                throw new IllegalStateException("DynamoDB Local has an unexpected connector " + c);
            }
        }
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
        stop();
    }
}
