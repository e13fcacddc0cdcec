package io.imagescaler.edge;

import io.imagescaler.edge.gateway.EdgeCacheInvalidator;
import io.imagescaler.edge.access.DevIssuer;
import io.imagescaler.edge.access.ViewerSignatures;
import io.imagescaler.edge.firewall.WebAcls;
import io.imagescaler.edge.gateway.EncodableFormats;
import io.imagescaler.edge.negotiation.VariantRequestFunction;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.imagescaler.edge.access.OriginSecret;
import io.imagescaler.handler.auth.OriginVerification;
import io.imagescaler.sr.SrServer;
import io.imagescaler.edge.gateway.EdgeServer;
import io.imagescaler.edge.gateway.ObjectCreatedEvents;
import io.imagescaler.edge.gateway.ScheduledSweeps;
import io.imagescaler.edge.gateway.GeneratedBucketOrigin;
import io.imagescaler.edge.mail.LocalMail;
import io.imagescaler.edge.moderation.LocalRekognition;
import io.imagescaler.edge.moderation.ModerationRules;
import io.imagescaler.moderation.model.NsfwModel;
import io.imagescaler.edge.storage.LocalDynamo;
import io.imagescaler.edge.storage.LocalS3;
import io.imagescaler.edge.storage.Provisioning;
import io.imagescaler.edge.storage.UploadCors;
import io.imagescaler.edge.tracing.TraceCollector;
import io.imagescaler.handler.config.HandlerConfig;
import io.imagescaler.handler.lambda.ImageHandler;
import io.imagescaler.handler.lambda.Wiring;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The whole system on one machine, in one process: S3Proxy and DynamoDB Local under the data directory,
 * buckets and table created when missing, the image-handler in-process behind an HTTP front that plays
 * CloudFront (signed URLs, {@code .auto}, the generated-bucket origin group) + WAF + API Gateway.
 * Everything listens on 127.0.0.1 only.
 */
public final class LocalEdge implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalEdge.class);
    /** Static credentials the local S3 and DynamoDB accept; nothing else is ever asked for credentials. */
    public static final String ACCESS_KEY = "local";
    public static final String SECRET_KEY = "local-secret";
    /** The UDP port the trace collector listens on (the X-Ray daemon's is 2000; default here: any free port). */
    public static final String LOCAL_TRACE_PORT = "LOCAL_TRACE_PORT";

    private final Deque<AutoCloseable> parts;
    private final EdgeServer server;
    private final Wiring wiring;
    private final LocalRekognition moderation;
    private final EdgeCacheInvalidator cache;
    private final LocalMail mail;
    private final DevIssuer issuer;
    private final ViewerSignatures signatures;
    private final WebAcls webAcls;
    private final ScheduledSweeps sweeps;
    private LocalS3 s3;
    private LocalDynamo dynamo;
    private io.imagescaler.edge.queues.LocalAws aws;
    private Optional<io.imagescaler.edge.kafka.LocalKafka> kafka = Optional.empty();
    private io.imagescaler.edge.queues.SqsPoller jobWorkers;
    private io.imagescaler.edge.queues.SqsPoller uploadProcessor;

    private LocalEdge(Deque<AutoCloseable> parts, EdgeServer server, Wiring wiring, LocalRekognition moderation,
                      EdgeCacheInvalidator cache, LocalMail mail, DevIssuer issuer, ViewerSignatures signatures,
                      WebAcls webAcls, ScheduledSweeps sweeps) {
        this.parts = parts;
        this.server = server;
        this.wiring = wiring;
        this.moderation = moderation;
        this.cache = cache;
        this.mail = mail;
        this.issuer = issuer;
        this.signatures = signatures;
        this.webAcls = webAcls;
        this.sweeps = sweeps;
    }

    /** The local stand-in for the EventBridge schedule that runs the large-upload sweeper. */
    public ScheduledSweeps sweeps() {
        return sweeps;
    }

    /** The signed-URL check: the dev key pair under the data dir and the trusted key group. */
    public ViewerSignatures signatures() {
        return signatures;
    }

    /** The CloudFront and regional web ACLs, as evaluated for this edge's requests. */
    public WebAcls webAcls() {
        return webAcls;
    }

    /** The line printed after the ready line: a ready-to-run signer command for this edge. */
    public String howToSign() {
        return signatures.devKey().howToSign(baseUrl());
    }

    /** The local dev token issuer (its tokens are also written under the data dir). */
    public DevIssuer issuer() {
        return issuer;
    }

    /**
     * @param port      the edge's HTTP port (0 = any free port)
     * @param dataDir   where S3 objects and DynamoDB tables live; data survives a restart
     * @param overrides configuration variables on top of the embedded defaults (see the README table);
     *                  {@code MODERATION_RULES} names the local moderation rules file (default
     *                  {@code <data>/moderation-rules.json}; an image without a rule, or no file, is
     *                  answered by the local classifier)
     */
    public static LocalEdge start(int port, Path dataDir, Map<String, String> overrides) throws Exception {
        Deque<AutoCloseable> parts = new ArrayDeque<>();
        try {
            // The edge's own variables come only from the overrides (the defaults below are the handler's).
            EdgeConfig edgeConfig = EdgeConfig.fromEnvironment(overrides::get);
            LOG.info("edge configuration: {}", edgeConfig);
            LocalS3 s3 = LocalS3.start(dataDir, freePort(), ACCESS_KEY, SECRET_KEY,
                    new UploadCors(edgeConfig.uploadCorsOrigins()));
            parts.push(s3);
            LocalDynamo dynamo = LocalDynamo.start(dataDir, freePort());
            parts.push(dynamo);
            ModerationRules rules = new ModerationRules(Path.of(overrides.getOrDefault("MODERATION_RULES",
                    dataDir.resolve("moderation-rules.json").toString())));
            NsfwModel moderationModel = loadModerationModel();
            parts.push(moderationModel);
            LocalRekognition moderation = LocalRekognition.start(rules, moderationModel, ACCESS_KEY);
            parts.push(moderation);
            LocalMail mail = LocalMail.start(freePort(), "image-scaler@localhost");
            parts.push(mail);
            // The X-Ray daemon's stand-in: the handler's segments arrive over UDP, as on Lambda.
            Optional<TraceCollector> traces = Optional.empty();
            if (!"off".equals(overrides.get("TRACING"))) {
                TraceCollector collector = TraceCollector.start(
                        Integer.parseInt(overrides.getOrDefault(LOCAL_TRACE_PORT, "0")), 200);
                parts.push(collector);
                traces = Optional.of(collector);
            }

            Map<String, String> env = new HashMap<>();
            env.put("AWS_REGION", "us-east-1");
            env.put("S3_ENDPOINT", s3.endpoint().toString());
            env.put("DYNAMODB_ENDPOINT", dynamo.endpoint().toString());
            env.put("LOCAL_ACCESS_KEY", ACCESS_KEY);
            env.put("LOCAL_SECRET_KEY", SECRET_KEY);
            env.put("REKOGNITION_ENDPOINT", moderation.endpoint().toString());
            // Local webhooks go to servers on this machine; the secret is a local development value.
            env.put("WEBHOOK_ALLOW_PRIVATE", "true");
            env.put("WEBHOOK_SECRET", "local-webhook-secret");
            String originSecret = OriginSecret.openOrCreate(dataDir);
            env.put("ORIGIN_VERIFY_SECRET", originSecret);
            DevIssuer issuer = DevIssuer.openOrCreate(dataDir);
            env.put("JWT_ISSUER", DevIssuer.ISSUER);
            env.put("JWT_AUDIENCE", DevIssuer.AUDIENCE);
            env.put("JWKS_FILE", issuer.jwksFile().toString());
            traces.ifPresent(t -> {
                env.put("TRACING", "xray");
                env.put("AWS_XRAY_DAEMON_ADDRESS", t.daemonAddress());
            });
            // The analytics lake: the same partitioned JSON-lines files Firehose writes to S3, and DuckDB over them.
            env.put("LAKE_DIR", dataDir.resolve("lake").toString());
            env.putAll(overrides);
            if (!env.containsKey("SR_ENDPOINT_URL") && !"false".equals(env.get("LOCAL_SR"))) {
                // The super-resolution server, in-process on CPU with the small models (the GPU one is
                // a SageMaker endpoint on AWS); its models load in the background.
                SrServer sr = SrServer.start(0);
                parts.push(sr);
                env.put("SR_ENDPOINT_URL", sr.baseUri().toString());
            }
            HandlerConfig config = HandlerConfig.fromEnvironment(env::get);
            // The edge's own origin is known before it listens: result links are signed for it.
            int edgePort = port == 0 ? freePort() : port;
            // SQS and EventBridge: moto's server (a child process), with the queues, DLQs, bus and rules CDK makes.
            var awsOptions = io.imagescaler.edge.queues.LocalAws.Options.defaults(config.originalsBucket())
                    .withJobsVisibility(java.time.Duration.ofSeconds(Long.parseLong(
                            overrides.getOrDefault("LOCAL_JOBS_VISIBILITY_SECONDS", "300"))))
                    .withMaxReceiveCount(Integer.parseInt(env.getOrDefault("JOBS_MAX_RECEIVE_COUNT", "3")));
            io.imagescaler.edge.queues.LocalAws aws = io.imagescaler.edge.queues.LocalAws.start(
                    dataDir.resolve("aws"), awsOptions);
            parts.push(aws);
            aws.handlerEnvironment().forEach(env::putIfAbsent);
            env.putIfAbsent("JOBS_MAX_RECEIVE_COUNT", Integer.toString(awsOptions.maxReceiveCount()));
            // a job PROCESSING longer than every attempt's visibility together is one whose last attempt died
            env.putIfAbsent("JOBS_STUCK_AFTER_SECONDS", Long.toString(
                    awsOptions.jobsVisibility().toSeconds() * awsOptions.maxReceiveCount()));
            // Kafka: a KRaft broker in this JVM (LOCAL_KAFKA=false leaves it out)
            Optional<io.imagescaler.edge.kafka.LocalKafka> kafka = Optional.empty();
            if (!"false".equals(overrides.get("LOCAL_KAFKA"))) {
                var broker = io.imagescaler.edge.kafka.LocalKafka.start(dataDir,
                        io.imagescaler.edge.kafka.LocalKafka.Options.defaults());
                parts.push(broker);
                kafka = Optional.of(broker);
                env.putIfAbsent("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
            }
            // Job results: signed with the edge's dev CloudFront key, served by its processed/* behaviour.
            var devKey = io.imagescaler.signer.DevKeyPair.loadOrCreate(dataDir.resolve("cloudfront-keys"),
                    io.imagescaler.signer.DevKeyPair.DEFAULT_KEY_PAIR_ID);
            env.putIfAbsent("RESULT_URL_BASE", "http://127.0.0.1:" + edgePort);
            env.putIfAbsent("RESULT_KEY_PAIR_ID", devKey.keyPairId());
            env.putIfAbsent("RESULT_SIGNING_KEY_FILE", devKey.privateKeyFile().toString());

            EdgeCacheInvalidator cache = new EdgeCacheInvalidator();
            var lake = new io.imagescaler.edge.analytics.DuckDbUsageQueries(
                    java.nio.file.Path.of(env.get("LAKE_DIR")).resolve(io.imagescaler.handler.analytics.LakeFiles.EVENTS));
            parts.push(lake);
            Wiring wiring = Wiring.fromEnvironment(env::get, cache, java.util.Optional.of(mail), Optional.of(lake));
            parts.push(wiring.clients());
            parts.push(wiring.usage().events());
            Provisioning.ensure(config, wiring.clients());

            ViewerSignatures signatures = ViewerSignatures.open(dataDir, edgeConfig.extraTrustedKeys(),
                    edgeConfig.requireSignedUrls(), Clock.systemUTC());
            LOG.info("signed URLs {}; trusted key group {}", signatures.required() ? "required" : "NOT required",
                    signatures.trusted().keyPairIds());
            WebAcls webAcls = WebAcls.load(env.get("ORIGIN_VERIFY_SECRET"),
                    Optional.ofNullable(env.get("ORIGIN_VERIFY_PREVIOUS")), edgeConfig.cloudFrontAclFile(),
                    edgeConfig.regionalAclFile());
            // the CloudFront Function's own source, told what this process's engine encodes
            Set<String> encodes = EncodableFormats.of(wiring.engine());
            VariantRequestFunction variantRequest = VariantRequestFunction.bundled().encoding(encodes);
            LOG.info("edge function {}: .auto may become {}", VariantRequestFunction.RESOURCE, variantRequest.encodes());

            // S3Proxy sends no event notifications: the edge delivers ObjectCreated for completed uploads.
            ImageHandler handler = new ImageHandler(wiring.router(), wiring.uploads()::process,
                    wiring.sweeps(), wiring.telemetry());
            ObjectCreatedEvents events = new ObjectCreatedEvents(handler,
                    wiring.clients().s3(), config.originalsBucket(), aws);
            parts.push(events);
            // Lambda's event source mappings: the worker on the jobs queue, the processor on the uploads queue,
            // the Kafka ingest function on its topic; each gets the event JSON Lambda would send.
            var queueHandler = new io.imagescaler.handler.lambda.QueueHandler(wiring.jobWorker(),
                    wiring.uploads()::process, wiring.sweeps());
            var pollerDefaults = io.imagescaler.edge.queues.SqsPoller.Settings.defaults();
            var jobWorkers = new io.imagescaler.edge.queues.SqsPoller(aws.sqs(),
                    aws.queueUrl(io.imagescaler.edge.queues.LocalAws.JOBS_QUEUE),
                    aws.queueArn(io.imagescaler.edge.queues.LocalAws.JOBS_QUEUE), io.imagescaler.edge.queues.LocalAws.REGION,
                    queueHandler, new io.imagescaler.edge.queues.SqsPoller.Settings(
                            Integer.parseInt(overrides.getOrDefault("LOCAL_JOB_WORKERS", "2")),
                            pollerDefaults.batchSize(), pollerDefaults.longPoll(), pollerDefaults.functionTimeout()))
                    .start();
            parts.push(jobWorkers);
            var uploadProcessor = new io.imagescaler.edge.queues.SqsPoller(aws.sqs(),
                    aws.queueUrl(io.imagescaler.edge.queues.LocalAws.UPLOADS_QUEUE),
                    aws.queueArn(io.imagescaler.edge.queues.LocalAws.UPLOADS_QUEUE), io.imagescaler.edge.queues.LocalAws.REGION,
                    queueHandler, new io.imagescaler.edge.queues.SqsPoller.Settings(1, 1, pollerDefaults.longPoll(),
                            pollerDefaults.functionTimeout())).start();
            parts.push(uploadProcessor);
            if (kafka.isPresent()) {
                parts.push(new io.imagescaler.edge.kafka.KafkaPoller(kafka.get().bootstrapServers(),
                        io.imagescaler.edge.kafka.LocalKafka.INGEST_TOPIC,
                        new io.imagescaler.handler.lambda.KafkaIngestHandler(wiring.kafkaIngestion()::ingest),
                        io.imagescaler.edge.kafka.KafkaPoller.Settings.defaults()).start());
            }
            // EventBridge's schedule, locally: the sweeper for uploads whose completion event was lost
            ScheduledSweeps sweeps = new ScheduledSweeps(handler, config.region(), java.time.Duration.ofSeconds(
                    Long.parseLong(env.getOrDefault("SWEEP_INTERVAL_SECONDS", "300"))));
            parts.push(sweeps);
            EdgeServer server = new EdgeServer(events,
                    new GeneratedBucketOrigin(wiring.clients().s3(), config.generatedBucket()),
                    edgePort, config.maxSyncUploadBytes() + 1024 * 1024,
                    Map.of(OriginVerification.HEADER, env.get("ORIGIN_VERIFY_SECRET")),
                    new EdgeServer.Behaviours(signatures, webAcls, variantRequest, edgeConfig.uploadCorsOrigins()),
                    traces).start();
            parts.push(server);
            LocalEdge edge = new LocalEdge(parts, server, wiring, moderation, cache, mail, issuer, signatures, webAcls,
                    sweeps);
            edge.s3 = s3;
            edge.dynamo = dynamo;
            edge.aws = aws;
            edge.kafka = kafka;
            edge.jobWorkers = jobWorkers;
            edge.uploadProcessor = uploadProcessor;
            return edge;
        } catch (Exception e) {
            closeAll(parts);
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** The local S3 (S3Proxy) the handler stores in. */
    public LocalS3 localS3() {
        return s3;
    }

    /** The local SQS and EventBridge (moto's server): queues, dead-letter queues, the event bus and its tap. */
    public io.imagescaler.edge.queues.LocalAws aws() {
        return aws;
    }

    /** The local Kafka broker; empty when started with {@code LOCAL_KAFKA=false}. */
    public Optional<io.imagescaler.edge.kafka.LocalKafka> kafka() {
        return kafka;
    }

    /** The job workers (Lambda's event source mapping on the jobs queue), which crash tests kill and restart. */
    public io.imagescaler.edge.queues.SqsPoller jobWorkers() {
        return jobWorkers;
    }

    /** The large-upload processor's event source mapping on the uploads queue. */
    public io.imagescaler.edge.queues.SqsPoller uploadProcessor() {
        return uploadProcessor;
    }

    /** DynamoDB Local, which fault tests stop and start again. */
    public LocalDynamo localDynamo() {
        return dynamo;
    }

    public EdgeServer server() {
        return server;
    }

    public Wiring wiring() {
        return wiring;
    }

    /**
     * The local Rekognition's classifier. ONNX Runtime has one environment per JVM: the moderation model and
     * the in-process sr-endpoint both take the default one ({@code OrtEnvironment.getEnvironment()}), with
     * ONNX Runtime's telemetry off first.
     */
    static NsfwModel loadModerationModel() {
        io.imagescaler.sr.OfflineEngine.ensure();
        return NsfwModel.load();
    }

    /** The local Rekognition protocol server (the classifier, with the rules file as an override). */
    public LocalRekognition moderation() {
        return moderation;
    }

    /** The local mail server (SES stand-in) and what it received. */
    public LocalMail mail() {
        return mail;
    }

    /** What the handler asked the CDN to invalidate (the local edge caches nothing beyond the bucket). */
    public EdgeCacheInvalidator cache() {
        return cache;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        closeAll(parts);
    }

    private static void closeAll(Deque<AutoCloseable> parts) {
        while (!parts.isEmpty()) {
            try {
                parts.pop().close();
            } catch (Exception ignored) {
                // best effort on shutdown
            }
        }
    }
}
