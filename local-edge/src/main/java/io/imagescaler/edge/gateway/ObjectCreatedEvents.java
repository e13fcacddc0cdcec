package io.imagescaler.edge.gateway;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What S3 event notifications do on AWS, for the local edge: S3Proxy sends none, so when the handler
 * has accepted the completion of a large upload ({@code POST /v1/uploads/{id}/complete} answered 202),
 * the edge builds the same {@code ObjectCreated:CompleteMultipartUpload} event JSON for
 * {@code incoming/{id}} and invokes the handler with it asynchronously, as S3 invokes the Lambda.
 */
public final class ObjectCreatedEvents implements RequestStreamHandler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectCreatedEvents.class);
    private static final Pattern COMPLETE = Pattern.compile("^/v1/uploads/([^/]+)/complete$");

    private final RequestStreamHandler handler;
    private final S3Client s3;
    private final String bucket;
    private final String region;
    private final ExecutorService deliveries = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "s3-event-delivery");
        t.setDaemon(true);
        return t;
    });

    public ObjectCreatedEvents(RequestStreamHandler handler, S3Client s3, String bucket, String region) {
        this.handler = handler;
        this.s3 = s3;
        this.bucket = bucket;
        this.region = region;
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
            ObjectNode event = ProxyEvents.JSON.createObjectNode();
            ObjectNode record = event.putArray("Records").addObject();
            record.put("eventVersion", "2.1").put("eventSource", "aws:s3").put("awsRegion", region)
                    .put("eventTime", Instant.now().toString())
                    .put("eventName", "ObjectCreated:CompleteMultipartUpload");
            ObjectNode s3Node = record.putObject("s3").put("s3SchemaVersion", "1.0");
            s3Node.putObject("bucket").put("name", bucket).put("arn", "arn:aws:s3:::" + bucket);
            s3Node.putObject("object").put("key", key).put("size", head.contentLength())
                    .put("eTag", head.eTag().replace("\"", ""));
            handler.handleRequest(new ByteArrayInputStream(ProxyEvents.JSON.writeValueAsBytes(event)),
                    new ByteArrayOutputStream(), new LocalLambdaContext(900_000));
        } catch (Exception e) {
            LOG.error("delivering ObjectCreated for {} failed", key, e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        deliveries.shutdown();
        deliveries.awaitTermination(30, TimeUnit.SECONDS);
    }
}
