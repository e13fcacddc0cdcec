package io.imagescaler.handler.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagescaler.handler.jobs.JobWorker;
import io.imagescaler.spec.ImageId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue workers' entry point (the same jar, its own handler string): Lambda's SQS event in, the
 * {@code batchItemFailures} answer out, so only the messages that failed come back (and, after the redrive
 * policy's count, go to the dead-letter queue). One class serves both queues, told apart by the body:
 * <ul>
 *   <li>{@code {"jobId": "..."}}: a job (the jobs queue), run by {@link JobWorker};</li>
 *   <li>an EventBridge envelope of S3's {@code Object Created} for {@code incoming/{id}}: a completed large upload
 *       (the uploads queue), processed by the large-upload processing;</li>
 *   <li>anything else is a poison message: reported as failed, so it ends in the dead-letter queue.</li>
 * </ul>
 * The scheduled sweep event (EventBridge's schedule) runs the large-upload and job sweepers.
 */
public final class QueueHandler implements RequestStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(QueueHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JobWorker jobs;
    private final ImageHandler.ObjectCreated uploads;
    private final Runnable sweep;

    /** Lambda: configuration from the environment, built once per execution environment. */
    public QueueHandler() {
        this(Wiring.fromEnvironment(System::getenv));
    }

    private QueueHandler(Wiring wiring) {
        this(wiring.jobWorker(), wiring.uploads()::process, wiring.sweeps());
    }

    public QueueHandler(JobWorker jobs, ImageHandler.ObjectCreated uploads, Runnable sweep) {
        this.jobs = jobs;
        this.uploads = uploads;
        this.sweep = sweep;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = JSON.readTree(input);
        if ("aws.events".equals(event.path("source").asText())
                && "Scheduled Event".equals(event.path("detail-type").asText())) {
            sweep.run();
            return;
        }
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode failures = answer.putArray("batchItemFailures");
        for (JsonNode record : event.path("Records")) {
            String messageId = record.path("messageId").asText();
            int receiveCount = record.path("attributes").path("ApproximateReceiveCount").asInt(1);
            boolean done;
            try {
                done = handle(record.path("body").asText(), receiveCount);
            } catch (RuntimeException e) {
                LOG.error("message {} (receive {}) failed; it comes back after its visibility timeout", messageId,
                        receiveCount, e);
                done = false;
            }
            if (!done) {
                failures.addObject().put("itemIdentifier", messageId);
            }
        }
        JSON.writeValue(output, answer);
    }

    /** @return whether the message is done with (deleted); false = it comes back */
    private boolean handle(String body, int receiveCount) {
        JsonNode message;
        try {
            message = JSON.readTree(body);
        } catch (IOException e) {
            LOG.error("poison message (not JSON), left for the dead-letter queue: {}", abbreviate(body));
            return false;
        }
        if (message.hasNonNull("jobId")) {
            return jobs.run(message.get("jobId").asText(), receiveCount) == JobWorker.Outcome.DONE;
        }
        if ("aws.s3".equals(message.path("source").asText())
                && "Object Created".equals(message.path("detail-type").asText())) {
            String key = message.path("detail").path("object").path("key").asText();
            if (key.startsWith("incoming/") && ImageId.isValid(key.substring("incoming/".length()))) {
                uploads.process(new ImageId(key.substring("incoming/".length())));
                return true;
            }
            LOG.warn("Object Created for {} ignored: not a large upload", key);
            return true;
        }
        LOG.error("poison message (neither a job nor an upload), left for the dead-letter queue: {}",
                abbreviate(body));
        return false;
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
