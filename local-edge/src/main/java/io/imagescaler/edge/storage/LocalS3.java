package io.imagescaler.edge.storage;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/** S3Proxy, filesystem-backed under {@code <data>/s3}, on 127.0.0.1: the real S3 protocol, locally. */
public final class LocalS3 implements AutoCloseable {
    private final S3Proxy.Builder builder;
    private final URI endpoint;
    private S3Proxy proxy;

    private LocalS3(S3Proxy.Builder builder, S3Proxy proxy, URI endpoint) {
        this.builder = builder;
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    /** @param cors the originals bucket's CORS rule (S3Proxy applies one rule to every bucket) */
    public static LocalS3 start(Path dataDir, int port, String accessKey, String secretKey, UploadCors cors)
            throws Exception {
        Path base = Files.createDirectories(dataDir.resolve("s3"));
        int removed = removeInterruptedWrites(base);
        if (removed > 0) {
            LOG.info("removed {} partial object files left by an interrupted S3Proxy write", removed);
        }
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", base.toString());
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        S3Proxy.Builder builder = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem", props))
                .endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .ignoreUnknownHeaders(true)
                .corsRules(cors.forS3Proxy());
        S3Proxy proxy = started(builder);
        return new LocalS3(builder, proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
    }

    private static S3Proxy started(S3Proxy.Builder builder) throws Exception {
        S3Proxy proxy = builder.build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        return proxy;
    }

    /** Stops S3Proxy; clients then meet a closed port (a fault test's outage). */
    public synchronized void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
            proxy = null;
        }
    }

    /** Starts S3Proxy again on the same port and folder after {@link #stop}. */
    public synchronized void restart() throws Exception {
        if (proxy == null) {
            proxy = started(builder);
        }
    }

    /**
     * S3Proxy's filesystem store writes an object to {@code <key>-<random UUID>} and then renames it onto
     * the key; a process killed in between leaves the partial file, which S3Proxy would list as a key.
     * No key of ours ends in a UUID, so at start such files are removed (multipart parts, under
     * {@code .mpus-} folders, are S3Proxy's own and stay).
     */
    static int removeInterruptedWrites(Path base) throws java.io.IOException {
        int[] removed = {0};
        try (var files = Files.walk(base)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                boolean inMultipart = base.relativize(p).toString().contains(".mpus-");
                if (!inMultipart && TEMPORARY.matcher(p.getFileName().toString()).matches()) {
                    Files.deleteIfExists(p);
                    removed[0]++;
                }
            }
        }
        return removed[0];
    }

    private static final java.util.regex.Pattern TEMPORARY = java.util.regex.Pattern.compile(
            ".+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LocalS3.class);

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
