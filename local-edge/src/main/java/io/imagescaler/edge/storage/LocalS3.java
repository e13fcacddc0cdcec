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
    private final S3Proxy proxy;
    private final URI endpoint;

    private LocalS3(S3Proxy proxy, URI endpoint) {
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    /** @param cors the originals bucket's CORS rule (S3Proxy applies one rule to every bucket) */
    public static LocalS3 start(Path dataDir, int port, String accessKey, String secretKey, UploadCors cors)
            throws Exception {
        Path base = Files.createDirectories(dataDir.resolve("s3"));
        Properties props = new Properties();
        props.setProperty("jclouds.filesystem.basedir", base.toString());
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem", props))
                .endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .ignoreUnknownHeaders(true)
                .corsRules(cors.forS3Proxy())
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        return new LocalS3(proxy, URI.create("http://127.0.0.1:" + proxy.getPort()));
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
