package io.imagescaler.edge.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.internals.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local Kafka: a real Apache Kafka broker in KRaft mode, in this process (one node that is both broker and
 * controller, on 127.0.0.1 with free ports), its log under {@code <data>/kafka}. The storage is formatted the
 * way {@code kafka-storage format} does (that tool's own code, with {@code --ignore-formatted}, so the data
 * and the cluster id survive a restart); automatic topic creation is off and the service's two topics are
 * created: {@code image-uploads} (messages up to {@link #MAX_MESSAGE_BYTES}: 1 MiB of image plus key and
 * headers) and {@code image-uploads-failed}.
 *
 * <p>Kafka calls {@code Exit.exit/halt} on fatal errors; in the edge's JVM that would end the whole edge,
 * so while this broker runs those calls are logged and turned into exceptions instead.
 */
public final class LocalKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalKafka.class);

    public static final String INGEST_TOPIC = "image-uploads";
    public static final String FAILURE_TOPIC = "image-uploads-failed";
    /** The ingest topic's {@code max.message.bytes}: a 1 MiB image plus 64 KiB for key, headers and framing. */
    public static final int MAX_MESSAGE_BYTES = 1024 * 1024 + 64 * 1024;

    /**
     * @param partitions   partitions of each topic (Lambda runs one invocation per partition at a time)
     * @param startTimeout how long the broker may take to serve requests
     */
    public record Options(int partitions, Duration startTimeout) {
        public Options {
            if (partitions < 1 || partitions > 64) {
                throw new IllegalArgumentException("partitions must be 1..64: " + partitions);
            }
        }

        public static Options defaults() {
            return new Options(1, Duration.ofSeconds(60));
        }
    }

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Duration startup;

    private LocalKafka(KafkaRaftServer server, String bootstrapServers, Duration startup) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.startup = startup;
    }

    /** Formats (when new) and starts the broker under {@code <dataDir>/kafka}, then creates the topics. */
    public static LocalKafka start(Path dataDir, Options options) throws Exception {
        long begin = System.nanoTime();
        Path logDir = Files.createDirectories(dataDir.resolve("kafka"));
        int brokerPort = freePort();
        int controllerPort = freePort();
        Properties props = brokerProperties(logDir, brokerPort, controllerPort, options.partitions());
        format(logDir, props);

        guardExit();
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        String bootstrap = "127.0.0.1:" + brokerPort;
        try {
            server.startup();
            createTopics(bootstrap, options);
        } catch (Exception | Error e) {
            shutdown(server);
            throw e;
        }
        LocalKafka kafka = new LocalKafka(server, bootstrap, Duration.ofNanos(System.nanoTime() - begin));
        LOG.info("local Kafka (KRaft, broker+controller) on {}: ready in {} ms", bootstrap,
                kafka.startup.toMillis());
        return kafka;
    }

    private static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort, int partitions) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        // a static quorum: the ports may change from one start to the next over the same log
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("log.dirs", logDir.toString());
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("num.partitions", Integer.toString(partitions));
        // one node: every internal topic has one replica; few partitions keep the start quick
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.num.partitions", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("message.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
        p.setProperty("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
        return p;
    }

    /** {@code kafka-storage format -t <id> -c <props> --ignore-formatted}, by that tool's own code. */
    private static void format(Path logDir, Properties props) throws IOException {
        Path config = logDir.resolve("local-server.properties");
        try (var out = Files.newOutputStream(config)) {
            props.store(out, "written by the local edge at each start (ports change)");
        }
        // a formatted log keeps its cluster id (the tool checks the id it is given against meta.properties)
        String clusterId = Uuid.randomUuid().toString();
        Path meta = logDir.resolve("meta.properties");
        if (Files.exists(meta)) {
            Properties existing = new Properties();
            try (var in = Files.newInputStream(meta)) {
                existing.load(in);
            }
            clusterId = existing.getProperty("cluster.id", clusterId);
        }
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        int code;
        try (PrintStream ps = new PrintStream(text, true, StandardCharsets.UTF_8)) {
            code = StorageTool.execute(new String[] {"format", "--cluster-id", clusterId,
                    "--config", config.toString(), "--ignore-formatted"}, ps);
        }
        if (code != 0) {
            throw new IllegalStateException("formatting the Kafka log under " + logDir + " failed (" + code + "): "
                    + text.toString(StandardCharsets.UTF_8));
        }
        LOG.debug("kafka-storage format: {}", text.toString(StandardCharsets.UTF_8).strip());
    }

    private static void createTopics(String bootstrap, Options options) throws Exception {
        Map<String, Object> admin = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) options.startTimeout().toMillis());
        try (Admin client = Admin.create(admin)) {
            Set<String> existing = client.listTopics().names().get(options.startTimeout().toMillis(),
                    TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            if (!existing.contains(INGEST_TOPIC)) {
                missing.add(new NewTopic(INGEST_TOPIC, options.partitions(), (short) 1)
                        .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_MESSAGE_BYTES))));
            }
            if (!existing.contains(FAILURE_TOPIC)) {
                missing.add(new NewTopic(FAILURE_TOPIC, options.partitions(), (short) 1));
            }
            if (!missing.isEmpty()) {
                try {
                    client.createTopics(missing).all().get(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("creating the Kafka topics failed: " + e.getCause(), e.getCause());
                }
            }
        }
    }

    /** Kafka's fatal-error exits would end the edge's JVM: log them and throw instead. */
    private static void guardExit() {
        Exit.setExitProcedure((status, message) -> {
            LOG.error("the local Kafka asked the JVM to exit ({}): {}", status, message);
            throw new IllegalStateException("Kafka exit(" + status + "): " + message);
        });
        Exit.setHaltProcedure((status, message) -> {
            LOG.error("the local Kafka asked the JVM to halt ({}): {}", status, message);
            throw new IllegalStateException("Kafka halt(" + status + "): " + message);
        });
    }

    /** {@code 127.0.0.1:<port>}, for producers, consumers and {@code KAFKA_BOOTSTRAP_SERVERS}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** From the start call to topics created (format, broker and controller start, topic creation). */
    public Duration startupTime() {
        return startup;
    }

    @Override
    public void close() {
        shutdown(server);
    }

    /** Stops the broker; bounded (30 s), so a broker stuck in shutdown cannot hold the edge's close. */
    private static void shutdown(KafkaRaftServer server) {
        Thread stopping = new Thread(() -> {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException e) {
                LOG.warn("stopping the local Kafka: {}", e.toString());
            }
        }, "local-kafka-stop");
        stopping.setDaemon(true);
        stopping.start();
        try {
            stopping.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopping.isAlive()) {
            LOG.warn("the local Kafka did not stop within 30 s");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
