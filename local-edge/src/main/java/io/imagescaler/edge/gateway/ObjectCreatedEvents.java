package io.imagescaler.edge.gateway;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What S3's EventBridge delivery does on AWS, for the local edge: S3Proxy sends no events, so when the handler
 * has accepted the completion of a large upload ({@code POST /v1/uploads/{id}/complete} answered 202), the edge
 * puts S3's {@code Object Created} event for {@code incoming/{id}} on the local EventBridge's default bus
 * (moto), whose rule routes it to the uploads queue, whose poller hands it to the processor: the same path
 * S3 -> EventBridge -> SQS -> Lambda, retries and dead-letter queue included.
 */
public final class ObjectCreatedEvents implements RequestStreamHandler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectCreatedEvents.class);
    private static final Pattern COMPLETE = Pattern.compile("^/v1/uploads/([^/]+)/complete$");

    private final RequestStreamHandler handler;
    private final S3Client s3;
    private final String bucket;
    private final io.imagescaler.edge.queues.LocalAws bus;
    private final ExecutorService deliveries = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "s3-event-delivery");
        t.setDaemon(true);
        return t;
    });

    public ObjectCreatedEvents(RequestStreamHandler handler, S3Client s3, String bucket,
                               io.imagescaler.edge.queues.LocalAws bus) {
        this.handler = handler;
        this.s3 = s3;
        this.bucket = bucket;
        this.bus = bus;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] request = input.readAllBytes();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(request), answer, context);
        output.write(answer.toByteArray());

        String path = ProxyEvents.JSON.readTree(request).path("path").asText();
        Matcher complete = COMPLETE.matcher(path);
        if (complete.matches() && ProxyEvents.response(answer.toByteArray()).status() == 202) {
            String key = "incoming/" + complete.group(1);
            deliveries.submit(() -> deliver(key));
        }
    }

    private void deliver(String key) {
        try {
            var head = s3.headObject(b -> b.bucket(bucket).key(key));
            bus.publishObjectCreated(bucket, key, head.contentLength(), head.eTag(), "CompleteMultipartUpload");
        } catch (Exception e) {
            LOG.error("publishing Object Created for {} failed", key, e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        deliveries.shutdown();
        deliveries.awaitTermination(30, TimeUnit.SECONDS);
    }
}
