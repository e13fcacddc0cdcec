package io.imagescaler.edge.queues;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagescaler.edge.gateway.LocalLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * What Lambda's SQS event source mapping does, for one queue and one handler, locally: {@code workers}
 * pollers (the function's maximum concurrency) long-poll the queue, hand each batch to the handler as the
 * same {@code {"Records":[...]}} event JSON Lambda sends, and read the answer as {@code ReportBatchItemFailures}
 * does: the messages not named in {@code batchItemFailures} are deleted, the named ones are left to come back
 * after the visibility timeout (and to go to the dead-letter queue after {@code maxReceiveCount} receives, which
 * the queue itself does). A handler exception, a timeout, or an answer naming an id not in the batch fails
 * the whole batch: nothing is deleted. An empty answer means all succeeded.
 *
 * <p>{@link #kill()} is the "worker crash": it abandons every in-flight invocation at once (its messages are
 * neither deleted nor answered; they return after the visibility timeout), and {@link #start()} brings
 * fresh workers up. A JVM cannot kill a thread: the abandoned invocation's thread is interrupted and its
 * outcome discarded, whatever it returns.
 */
public final class SqsPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqsPoller.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param workers         concurrent pollers, each running one invocation at a time (maximum concurrency)
     * @param batchSize       messages per invocation, 1..10 (ReceiveMessage's MaxNumberOfMessages)
     * @param longPoll        ReceiveMessage's WaitTimeSeconds, 0..20 s
     * @param functionTimeout an invocation running longer fails its batch (Lambda's function timeout)
     */
    public record Settings(int workers, int batchSize, Duration longPoll, Duration functionTimeout) {
        public Settings {
            if (workers < 1 || workers > 100) {
                throw new IllegalArgumentException("workers must be 1..100: " + workers);
            }
            if (batchSize < 1 || batchSize > 10) {
                throw new IllegalArgumentException("batchSize must be 1..10: " + batchSize);
            }
            if (longPoll.isNegative() || longPoll.toSeconds() > 20) {
                throw new IllegalArgumentException("longPoll must be 0..20 s: " + longPoll);
            }
            if (!functionTimeout.isPositive()) {
                throw new IllegalArgumentException("functionTimeout must be positive: " + functionTimeout);
            }
        }

        /** The contract's worker: two at a time, batch size 1, 900 s timeout; 5 s long polls keep stop quick. */
        public static Settings defaults() {
            return new Settings(2, 1, Duration.ofSeconds(5), Duration.ofSeconds(900));
        }
    }

    private final SqsClient sqs;
    private final String queueUrl;
    private final String queueArn;
    private final String region;
    private final RequestStreamHandler handler;
    private final Settings settings;
    private final AtomicLong batchesDone = new AtomicLong();
    private final AtomicLong messagesDeleted = new AtomicLong();
    /** Bumped by stop and kill: a worker of an older generation does nothing more. */
    private final AtomicLong generation = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    /** Bumped by kill: an invocation that began before it is abandoned (no answer, no delete). */
    private final AtomicLong kills = new AtomicLong();
    private ExecutorService invocations;

    /**
     * @param queueArn the event's {@code eventSourceARN}, {@code arn:aws:sqs:<region>:<account>:<queue>}
     */
    public SqsPoller(SqsClient sqs, String queueUrl, String queueArn, String region, RequestStreamHandler handler,
                     Settings settings) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.queueArn = queueArn;
        this.region = region;
        this.handler = handler;
        this.settings = settings;
    }

    /** Starts the workers (again, after {@link #stop} or {@link #kill}); a running poller is left as it is. */
    public synchronized SqsPoller start() {
        if (!threads.isEmpty()) {
            return this;
        }
        long gen = generation.get();
        long killed = kills.get();
        String queue = queueArn.substring(queueArn.lastIndexOf(':') + 1);
        invocations = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sqs-invoke-" + queue);
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < settings.workers(); i++) {
            ExecutorService pool = invocations;
            Thread t = new Thread(() -> poll(gen, killed, pool), "sqs-poll-" + queue + "-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        return this;
    }

    /**
     * Stops polling gracefully: no new receives; a running invocation ends and its batch is answered (waits at
     * most the long poll plus 30 s, then abandons what still runs, as {@link #kill} does).
     */
    public synchronized void stop() throws InterruptedException {
        if (threads.isEmpty()) {
            return;
        }
        generation.incrementAndGet();
        long deadline = System.nanoTime() + settings.longPoll().plusSeconds(30).toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        if (threads.stream().anyMatch(Thread::isAlive)) {
            LOG.warn("SQS poller for {}: invocations still running after stop; abandoning them", queueArn);
            abandonAll();
        } else {
            invocations.shutdown();
            threads.clear();
        }
    }

    /**
     * The worker crash: abandons at once every invocation in flight (its messages are neither deleted nor
     * answered) and every receive in progress. {@link #start} brings new workers up.
     */
    public synchronized void kill() {
        if (threads.isEmpty()) {
            return;
        }
        generation.incrementAndGet();
        abandonAll();
    }

    private void abandonAll() {
        kills.incrementAndGet();
        invocations.shutdownNow();
        threads.forEach(Thread::interrupt);
        threads.clear();
    }

    /** Batches whose answer was read (succeeded fully or in part, or failed as a whole). */
    public long batchesDone() {
        return batchesDone.get();
    }

    /** Messages deleted after the handler reported them done. */
    public long messagesDeleted() {
        return messagesDeleted.get();
    }

    private boolean current(long gen) {
        return generation.get() == gen;
    }

    private void poll(long gen, long killed, ExecutorService pool) {
        while (current(gen)) {
            try {
                List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                        .maxNumberOfMessages(settings.batchSize())
                        .waitTimeSeconds((int) settings.longPoll().toSeconds())
                        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
                        .messageAttributeNames("All")).messages();
                if (batch.isEmpty() || kills.get() != killed) {
                    continue;   // an abandoned worker's messages return after their visibility timeout
                }
                invoke(killed, pool, batch);
            } catch (RuntimeException e) {
                if (!current(gen) || Thread.currentThread().isInterrupted()) {
                    return;
                }
                LOG.warn("SQS poller for {}: {}; polling again in 1 s", queueArn, e.toString());
                if (!pause(1000)) {
                    return;
                }
            }
        }
    }

    private void invoke(long killed, ExecutorService pool, List<Message> batch) {
        byte[] event = event(batch);
        Future<byte[]> call;
        try {
            call = pool.submit(() -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                handler.handleRequest(new ByteArrayInputStream(event), out,
                        new LocalLambdaContext(settings.functionTimeout().toMillis()));
                return out.toByteArray();
            });
        } catch (java.util.concurrent.RejectedExecutionException shutDown) {
            return;
        }
        Set<String> failed;
        try {
            byte[] answer = call.get(settings.functionTimeout().toMillis(), TimeUnit.MILLISECONDS);
            failed = failures(answer, batch);
        } catch (ExecutionException e) {
            LOG.warn("SQS poller for {}: the handler failed a batch of {}: {}", queueArn, batch.size(),
                    e.getCause().toString());
            failed = ids(batch);
        } catch (TimeoutException e) {
            call.cancel(true);
            LOG.warn("SQS poller for {}: the handler ran past its timeout ({}); the batch failed", queueArn,
                    settings.functionTimeout());
            failed = ids(batch);
        } catch (InterruptedException | java.util.concurrent.CancellationException e) {
            return;     // killed: no answer, no delete
        }
        if (kills.get() != killed) {
            return;     // killed while the handler ran: its outcome is discarded
        }
        List<DeleteMessageBatchRequestEntry> done = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Message m = batch.get(i);
            if (!failed.contains(m.messageId())) {
                done.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                        .receiptHandle(m.receiptHandle()).build());
            }
        }
        if (!done.isEmpty()) {
            var result = sqs.deleteMessageBatch(b -> b.queueUrl(queueUrl).entries(done));
            messagesDeleted.addAndGet(result.successful().size());
            result.failed().forEach(f -> LOG.warn("SQS poller for {}: delete failed: {}", queueArn, f.message()));
        }
        batchesDone.incrementAndGet();
    }

    /** Reads the handler's answer as Lambda does with {@code ReportBatchItemFailures} on. */
    static Set<String> failures(byte[] answer, List<Message> batch) {
        String text = new String(answer, java.nio.charset.StandardCharsets.UTF_8).strip();
        if (text.isEmpty() || text.equals("null")) {
            return Set.of();
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            LOG.warn("the handler's answer is not JSON; the whole batch failed");
            return ids(batch);
        }
        JsonNode items = root.path("batchItemFailures");
        if (!items.isArray()) {
            return Set.of();
        }
        Set<String> inBatch = ids(batch);
        Set<String> failed = new HashSet<>();
        for (JsonNode item : items) {
            String id = item.path("itemIdentifier").asText("");
            if (id.isEmpty() || !inBatch.contains(id)) {
                LOG.warn("batchItemFailures names '{}', which is not in the batch; the whole batch failed", id);
                return inBatch;
            }
            failed.add(id);
        }
        return failed;
    }

    private static Set<String> ids(List<Message> batch) {
        Set<String> ids = new HashSet<>();
        batch.forEach(m -> ids.add(m.messageId()));
        return ids;
    }

    /** The event Lambda's SQS event source mapping passes to the function. */
    byte[] event(List<Message> batch) {
        ObjectNode event = JSON.createObjectNode();
        ArrayNode records = event.putArray("Records");
        for (Message m : batch) {
            ObjectNode r = records.addObject();
            r.put("messageId", m.messageId());
            r.put("receiptHandle", m.receiptHandle());
            r.put("body", m.body());
            ObjectNode attributes = r.putObject("attributes");
            for (Map.Entry<String, String> a : new java.util.TreeMap<>(m.attributesAsStrings()).entrySet()) {
                attributes.put(a.getKey(), a.getValue());
            }
            ObjectNode messageAttributes = r.putObject("messageAttributes");
            for (Map.Entry<String, MessageAttributeValue> a : m.messageAttributes().entrySet()) {
                messageAttributes.set(a.getKey(), attribute(a.getValue()));
            }
            if (m.md5OfMessageAttributes() != null) {
                r.put("md5OfMessageAttributes", m.md5OfMessageAttributes());
            }
            r.put("md5OfBody", m.md5OfBody());
            r.put("eventSource", "aws:sqs");
            r.put("eventSourceARN", queueArn);
            r.put("awsRegion", region);
        }
        try {
            return JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode attribute(MessageAttributeValue v) {
        ObjectNode a = JSON.createObjectNode();
        if (v.stringValue() != null) {
            a.put("stringValue", v.stringValue());
        }
        if (v.binaryValue() != null) {
            a.put("binaryValue", Base64.getEncoder().encodeToString(v.binaryValue().asByteArray()));
        }
        ArrayNode strings = a.putArray("stringListValues");
        v.stringListValues().forEach(strings::add);
        ArrayNode binaries = a.putArray("binaryListValues");
        for (SdkBytes b : v.binaryListValues()) {
            binaries.add(Base64.getEncoder().encodeToString(b.asByteArray()));
        }
        a.put("dataType", v.dataType());
        return a;
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
