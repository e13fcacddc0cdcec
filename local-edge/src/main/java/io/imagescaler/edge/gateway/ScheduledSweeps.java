package io.imagescaler.edge.gateway;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the EventBridge schedule rule does on AWS, for the local edge: every {@code interval} it invokes
 * the handler with the same {@code Scheduled Event} JSON, which runs the large-upload sweeper (uploads
 * whose completion event was lost). {@link #sweepNow()} delivers one at once (tests, operators).
 */
public final class ScheduledSweeps implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledSweeps.class);

    private final RequestStreamHandler handler;
    private final String region;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "scheduled-sweep");
        t.setDaemon(true);
        return t;
    });

    /** @param interval zero = only on demand */
    public ScheduledSweeps(RequestStreamHandler handler, String region, Duration interval) {
        this.handler = handler;
        this.region = region;
        if (interval.isPositive()) {
            timer.scheduleWithFixedDelay(this::sweepQuietly, interval.toSeconds(), interval.toSeconds(),
                    TimeUnit.SECONDS);
        }
    }

    /** Invokes the handler with one scheduled event and waits for the sweep to end. */
    public synchronized void sweepNow() throws IOException {
        ObjectNode event = ProxyEvents.JSON.createObjectNode();
        event.put("version", "0").put("id", UUID.randomUUID().toString()).put("detail-type", "Scheduled Event")
                .put("source", "aws.events").put("account", "000000000000").put("time", Instant.now().toString())
                .put("region", region);
        event.putArray("resources").add("arn:aws:events:" + region + ":000000000000:rule/local-upload-sweeper");
        event.putObject("detail");
        handler.handleRequest(new ByteArrayInputStream(ProxyEvents.JSON.writeValueAsBytes(event)),
                new ByteArrayOutputStream(), new LocalLambdaContext(900_000));
    }

    private void sweepQuietly() {
        try {
            sweepNow();
        } catch (Exception e) {
            LOG.error("scheduled sweep failed", e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(30, TimeUnit.SECONDS);
    }
}
