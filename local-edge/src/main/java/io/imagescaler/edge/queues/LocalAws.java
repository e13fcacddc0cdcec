package io.imagescaler.edge.queues;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.InputTransformer;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The local SQS and EventBridge: moto's server ({@code python3.11 -m moto.server}), a real implementation of
 * both wire protocols, run as a child process on 127.0.0.1 and stopped with this object (and by a JVM
 * shutdown hook, and by itself when this JVM is gone, so a crashed test leaves no server behind). After start it is provisioned like the CDK
 * stack: the jobs and uploads queues with their dead-letter queues and redrive policies, the custom bus
 * {@code image-scaler-events}, the rule on the default bus that routes S3 {@code Object Created} events for
 * {@code incoming/} keys of the originals bucket to the uploads queue, and a tap: a rule on the custom bus
 * that copies every {@code image-scaler} event into {@code image-scaler-events-tap}, which tests and the edge
 * drain to see what was published. moto keeps its state in memory: a restart starts empty.
 */
public final class LocalAws implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalAws.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String REGION = "us-east-1";
    /** moto's default account; queue and rule ARNs carry it. */
    public static final String ACCOUNT = "123456789012";
    public static final String ACCESS_KEY = "local";
    public static final String SECRET_KEY = "local-secret";

    public static final String JOBS_QUEUE = "image-scaler-jobs";
    public static final String JOBS_DLQ = "image-scaler-jobs-dlq";
    public static final String UPLOADS_QUEUE = "image-scaler-uploads";
    public static final String UPLOADS_DLQ = "image-scaler-uploads-dlq";
    public static final String EVENT_BUS = "image-scaler-events";
    public static final String EVENTS_TAP_QUEUE = "image-scaler-events-tap";
    public static final String UPLOADS_RULE = "image-scaler-large-uploads";
    public static final String TAP_RULE = "image-scaler-events-tap";

    /**
     * {@code python -m moto.server}, plus a thread that ends the server when its parent (this JVM) is gone: a
     * shutdown hook does not run when the JVM is killed (SIGKILL, a forked test JVM past its timeout).
     */
    private static final String SERVER_WITH_WATCHDOG = String.join("\n",
            "import os, sys, threading, time",
            "parent = os.getppid()",
            "def watch():",
            "    while os.getppid() == parent:",
            "        time.sleep(1)",
            "    os._exit(0)",
            "threading.Thread(target=watch, daemon=True).start()",
            "from moto.server import main",
            "main(sys.argv[1:])");

    /** {@link Options#python()} value that means: find a Python with moto (see {@link #findPython}). */
    public static final String FIND_PYTHON = "auto";
    /** Names the Python to run moto with, instead of searching. */
    public static final String PYTHON_VARIABLE = "LOCAL_AWS_PYTHON";

    /**
     * @param python             the Python with moto installed, or {@link #FIND_PYTHON}
     * @param originalsBucket    the bucket whose {@code incoming/} objects the uploads rule matches
     * @param maxReceiveCount    receives before SQS moves a message to the dead-letter queue (CDK: 3)
     * @param jobsVisibility     the jobs queue's visibility timeout: how soon a crashed worker's job returns
     * @param uploadsVisibility  the uploads queue's visibility timeout
     * @param startTimeout       how long moto may take to answer
     */
    public record Options(String python, String originalsBucket, int maxReceiveCount, Duration jobsVisibility,
                          Duration uploadsVisibility, Duration startTimeout) {
        public Options {
            if (maxReceiveCount < 1 || maxReceiveCount > 1000) {
                throw new IllegalArgumentException("maxReceiveCount must be 1..1000: " + maxReceiveCount);
            }
            if (jobsVisibility.isNegative() || uploadsVisibility.isNegative()) {
                throw new IllegalArgumentException("visibility timeouts must not be negative");
            }
        }

        /** Local defaults: short visibility timeouts so a killed worker's message returns within seconds. */
        public static Options defaults(String originalsBucket) {
            return new Options(FIND_PYTHON, originalsBucket, 3, Duration.ofSeconds(30), Duration.ofSeconds(60),
                    Duration.ofSeconds(30));
        }

        public Options withJobsVisibility(Duration d) {
            return new Options(python, originalsBucket, maxReceiveCount, d, uploadsVisibility, startTimeout);
        }

        public Options withUploadsVisibility(Duration d) {
            return new Options(python, originalsBucket, maxReceiveCount, jobsVisibility, d, startTimeout);
        }

        public Options withMaxReceiveCount(int n) {
            return new Options(python, originalsBucket, n, jobsVisibility, uploadsVisibility, startTimeout);
        }
    }

    private final Process process;
    private final Thread shutdownHook;
    private final URI endpoint;
    private final SdkHttpClient http;
    private final SqsClient sqs;
    private final EventBridgeClient events;
    private final Map<String, String> queueUrls = new ConcurrentHashMap<>();
    private final Duration startup;

    private LocalAws(Process process, Thread shutdownHook, URI endpoint, Duration startup) {
        this.process = process;
        this.shutdownHook = shutdownHook;
        this.endpoint = endpoint;
        this.startup = startup;
        // Long polls last up to 20 s (SQS's maximum): the socket timeout sits above it.
        this.http = UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(25)).build();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
        var calls = ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofSeconds(30)).build();
        this.sqs = SqsClient.builder().httpClient(http).region(Region.of(REGION)).credentialsProvider(credentials)
                .endpointOverride(endpoint).overrideConfiguration(calls).build();
        this.events = EventBridgeClient.builder().httpClient(http).region(Region.of(REGION))
                .credentialsProvider(credentials).endpointOverride(endpoint).overrideConfiguration(calls).build();
    }

    /**
     * Starts moto's server on a free loopback port, waits until it answers, and provisions the queues, bus
     * and rules. Its output goes to {@code <workDir>/moto-server.log}.
     *
     * @throws IllegalStateException when Python or moto is missing, or the server does not answer in time
     */
    public static LocalAws start(Path workDir, Options options) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Path log = workDir.resolve("moto-server.log");
        int port = freePort();
        String python = FIND_PYTHON.equals(options.python()) ? findPython() : options.python();
        ProcessBuilder pb = new ProcessBuilder(python, "-c", SERVER_WITH_WATCHDOG, "-H", "127.0.0.1",
                "-p", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        Map<String, String> env = pb.environment();
        // Nothing leaves the machine: no proxies, no HTTP targets for rules (api destinations), no remote
        // lookups; credentials and region are explicit, and no AWS config file is read.
        for (String proxy : List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY",
                "all_proxy")) {
            env.remove(proxy);
        }
        env.put("NO_PROXY", "*");
        env.put("MOTO_EVENTS_INVOKE_HTTP", "false");
        env.put("MOTO_EC2_LOAD_DEFAULT_AMIS", "false");
        env.put("MOTO_IAM_LOAD_MANAGED_POLICIES", "false");
        env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
        env.put("AWS_DEFAULT_REGION", REGION);
        env.put("AWS_REGION", REGION);
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("PYTHONUNBUFFERED", "1");
        env.put("PYTHONDONTWRITEBYTECODE", "1");

        long begin = System.nanoTime();
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run '" + python + "': the local SQS/EventBridge is "
                    + "moto's server, which needs Python 3.11 with moto 5.x installed (" + e.getMessage() + ")", e);
        }
        Thread hook = new Thread(process::destroyForcibly, "moto-server-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            awaitListening(process, port, options.startTimeout(), log);
        } catch (RuntimeException | InterruptedException e) {
            stopProcess(process);
            removeHook(hook);
            throw e;
        }
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        LocalAws aws = new LocalAws(process, hook, endpoint, Duration.ofNanos(System.nanoTime() - begin));
        try {
            aws.provision(options);
        } catch (RuntimeException e) {
            aws.close();
            throw e;
        }
        LOG.info("local SQS/EventBridge (moto server, pid {}) on {}: ready in {} ms", process.pid(), endpoint,
                aws.startup.toMillis());
        return aws;
    }

    /**
     * The Python that has moto: {@code $LOCAL_AWS_PYTHON} when set, else the first of {@code python3.11},
     * {@code python3} and pyenv's {@code python3.11} shim that imports moto ({@code /usr/bin/python3.11} may
     * come first on a PATH and lack it).
     *
     * @throws IllegalStateException naming what was tried when none has moto
     */
    public static synchronized String findPython() throws InterruptedException {
        if (foundPython != null) {
            return foundPython;
        }
        String named = System.getenv(PYTHON_VARIABLE);
        if (named != null && !named.isBlank()) {
            return named;
        }
        List<String> candidates = List.of("python3.11", "python3",
                Path.of(System.getProperty("user.home"), ".pyenv", "shims", "python3.11").toString());
        List<String> tried = new ArrayList<>();
        for (String candidate : candidates) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import moto.server")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    tried.add(candidate + " (no answer in 20 s)");
                } else if (p.exitValue() == 0) {
                    foundPython = candidate;
                    return candidate;
                } else {
                    tried.add(candidate + " (no moto)");
                }
            } catch (IOException e) {
                tried.add(candidate + " (not found)");
            }
        }
        throw new IllegalStateException("the local SQS/EventBridge is moto's server, which needs Python 3.11 with "
                + "moto 5.x (pip install 'moto[server]'); none found: " + String.join(", ", tried)
                + ". Set " + PYTHON_VARIABLE + " to a Python that has it.");
    }

    private static String foundPython;

    private static void awaitListening(Process process, int port, Duration timeout, Path log)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto's server exited at start (code " + process.exitValue()
                        + "); is moto installed for this Python (python3.11 -m pip show moto)? Its output:\n"
                        + tail(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("moto's server did not listen on 127.0.0.1:" + port + " within "
                        + timeout.toSeconds() + " s. Its output:\n" + tail(log));
            }
            Thread.sleep(50);
        }
    }

    private void provision(Options options) {
        String jobsDlq = createQueue(JOBS_DLQ, Map.of());
        createQueue(JOBS_QUEUE, Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(options.jobsVisibility().toSeconds()),
                QueueAttributeName.REDRIVE_POLICY, redrive(jobsDlq, options.maxReceiveCount())));
        String uploadsDlq = createQueue(UPLOADS_DLQ, Map.of());
        createQueue(UPLOADS_QUEUE, Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Long.toString(options.uploadsVisibility().toSeconds()),
                QueueAttributeName.REDRIVE_POLICY, redrive(uploadsDlq, options.maxReceiveCount())));
        createQueue(EVENTS_TAP_QUEUE, Map.of());

        events.createEventBus(b -> b.name(EVENT_BUS));
        // S3 -> EventBridge (default bus) -> the uploads queue, as the CDK rule does.
        events.putRule(b -> b.name(UPLOADS_RULE).eventBusName("default").eventPattern(largeUploadPattern(
                options.originalsBucket())));
        events.putTargets(b -> b.rule(UPLOADS_RULE).eventBusName("default")
                .targets(t -> t.id("uploads-queue").arn(queueArn(UPLOADS_QUEUE)).inputTransformer(WHOLE_EVENT)));
        events.putRule(b -> b.name(TAP_RULE).eventBusName(EVENT_BUS).eventPattern("{\"source\":[\"image-scaler\"]}"));
        events.putTargets(b -> b.rule(TAP_RULE).eventBusName(EVENT_BUS)
                .targets(t -> t.id("events-tap").arn(queueArn(EVENTS_TAP_QUEUE)).inputTransformer(WHOLE_EVENT)));
    }

    /**
     * A target without an input transformer gets the whole event on AWS; moto 5.2.1 then delivers its own
     * default template, which drops {@code account}. This transformer, used only here, rebuilds the envelope
     * AWS delivers, field for field and in its order (moto turns {@code <time>} into the ISO time).
     */
    private static final InputTransformer WHOLE_EVENT = InputTransformer.builder()
            .inputPathsMap(Map.of("id", "$.id", "detail-type", "$.detail-type", "source", "$.source",
                    "account", "$.account", "time", "$.time", "region", "$.region", "resources", "$.resources",
                    "detail", "$.detail"))
            .inputTemplate("{\"version\": \"0\", \"id\": \"<id>\", \"detail-type\": \"<detail-type>\", "
                    + "\"source\": \"<source>\", \"account\": \"<account>\", \"time\": <time>, "
                    + "\"region\": \"<region>\", \"resources\": <resources>, \"detail\": <detail>}")
            .build();

    /** The contract's rule pattern: S3 {@code Object Created} for {@code incoming/} keys of the originals bucket. */
    public static String largeUploadPattern(String originalsBucket) {
        ObjectNode pattern = JSON.createObjectNode();
        pattern.putArray("source").add("aws.s3");
        pattern.putArray("detail-type").add("Object Created");
        ObjectNode detail = pattern.putObject("detail");
        detail.putObject("bucket").putArray("name").add(originalsBucket);
        detail.putObject("object").putArray("key").addObject().put("prefix", "incoming/");
        return pattern.toString();
    }

    private static String redrive(String dlqArn, int maxReceiveCount) {
        return JSON.createObjectNode().put("deadLetterTargetArn", dlqArn)
                .put("maxReceiveCount", Integer.toString(maxReceiveCount)).toString();
    }

    private String createQueue(String name, Map<QueueAttributeName, String> attributes) {
        String url = sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
        queueUrls.put(name, url);
        return queueArn(name);
    }

    /** moto's endpoint, for {@code SQS_ENDPOINT} and {@code EVENTS_ENDPOINT}. */
    public URI endpoint() {
        return endpoint;
    }

    /** How long the server took from process start to answering, provisioning included. */
    public Duration startupTime() {
        return startup;
    }

    /** The variables the handler needs to use this server (on top of the edge's). */
    public Map<String, String> handlerEnvironment() {
        return Map.of("SQS_ENDPOINT", endpoint.toString(), "EVENTS_ENDPOINT", endpoint.toString(),
                "JOBS_QUEUE_URL", queueUrl(JOBS_QUEUE), "EVENT_BUS_NAME", EVENT_BUS);
    }

    /** An SQS client for this server (static credentials, us-east-1); closed with this object. */
    public SqsClient sqs() {
        return sqs;
    }

    /** An EventBridge client for this server; closed with this object. */
    public EventBridgeClient events() {
        return events;
    }

    /** The URL of one of the provisioned queues. */
    public String queueUrl(String name) {
        String url = queueUrls.get(name);
        if (url == null) {
            throw new IllegalArgumentException("no such local queue: " + name);
        }
        return url;
    }

    /** A queue's ARN, {@code arn:aws:sqs:us-east-1:123456789012:<name>}, as the event source mapping names it. */
    public String queueArn(String name) {
        return "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + name;
    }

    /** The number of messages in a queue, visible plus in flight (SQS's approximate counts). */
    public int depth(String queue) {
        var attrs = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl(queue)).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attrs.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attrs.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /**
     * Takes (receives and deletes) the events published on {@code image-scaler-events} since the last call:
     * each is the EventBridge envelope ({@code source}, {@code detail-type}, {@code detail}, ...). Waits up
     * to {@code wait} for the first one; returns what is there then.
     */
    public List<JsonNode> drainPublishedEvents(Duration wait) {
        List<JsonNode> taken = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        String url = queueUrl(EVENTS_TAP_QUEUE);
        while (true) {
            long left = TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime());
            int waitSeconds = taken.isEmpty() ? (int) Math.max(0, Math.min(20, left)) : 0;
            List<Message> batch = sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)
                    .waitTimeSeconds(waitSeconds)).messages();
            for (Message m : batch) {
                try {
                    taken.add(JSON.readTree(m.body()));
                } catch (IOException e) {
                    throw new IllegalStateException("the events tap held a non-JSON message: " + m.body(), e);
                }
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
            if (batch.isEmpty() && (!taken.isEmpty() || System.nanoTime() >= deadline)) {
                return taken;
            }
        }
    }

    /**
     * What S3 does on AWS when a bucket has EventBridge notifications on ({@code eventBridgeEnabled}) and an
     * object is created: puts an {@code Object Created} event (source {@code aws.s3}) on the default bus, where
     * the uploads rule matches it or not. S3Proxy sends no events; the edge calls this instead.
     *
     * @param reason S3's {@code reason}: {@code PutObject}, {@code CompleteMultipartUpload}, {@code CopyObject}
     */
    public void publishObjectCreated(String bucket, String key, long size, String etag, String reason) {
        ObjectNode detail = JSON.createObjectNode().put("version", "0");
        detail.putObject("bucket").put("name", bucket);
        detail.putObject("object").put("key", key).put("size", size).put("etag", etag.replace("\"", ""))
                .put("sequencer", String.format("%016X", System.nanoTime()));
        detail.put("request-id", java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                        .toUpperCase(java.util.Locale.ROOT))
                .put("requester", ACCOUNT).put("source-ip-address", "127.0.0.1").put("reason", reason);
        var put = events.putEvents(b -> b.entries(e -> e.eventBusName("default").source("aws.s3")
                .detailType("Object Created").resources("arn:aws:s3:::" + bucket).detail(detail.toString())));
        if (put.failedEntryCount() > 0) {
            throw new IllegalStateException("EventBridge refused the Object Created event for " + key + ": "
                    + put.entries());
        }
    }

    /** Whether moto's process is still running. */
    public boolean running() {
        return process.isAlive();
    }

    /** moto's process id (tests check it is gone after {@link #close}). */
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        sqs.close();
        events.close();
        http.close();
        stopProcess(process);
        removeHook(shutdownHook);
    }

    private static void stopProcess(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting: the hook runs anyway
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
