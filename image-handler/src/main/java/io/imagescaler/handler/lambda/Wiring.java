package io.imagescaler.handler.lambda;

import io.imagescaler.handler.api.Router;
import io.imagescaler.handler.auth.AuthConfig;
import io.imagescaler.handler.auth.Guard;
import io.imagescaler.handler.auth.OriginSecretSource;
import io.imagescaler.handler.auth.OriginVerification;
import io.imagescaler.handler.auth.TokenVerifier;
import io.imagescaler.handler.auth.aws.SecretsManagerOriginSecrets;
import io.imagescaler.handler.cdn.CdnInvalidator;
import io.imagescaler.handler.cdn.NoCdnCache;
import io.imagescaler.handler.cdn.aws.CloudFrontInvalidator;
import io.imagescaler.handler.config.HandlerConfig;
import io.imagescaler.handler.events.Events;
import io.imagescaler.handler.events.EventsConfig;
import io.imagescaler.handler.events.aws.EventBridgeEvents;
import io.imagescaler.handler.idempotency.IdempotentRequests;
import io.imagescaler.handler.ingest.BucketReferences;
import io.imagescaler.handler.ingest.HttpsReferences;
import io.imagescaler.handler.ingest.IngestConfig;
import io.imagescaler.handler.ingest.KafkaIngestion;
import io.imagescaler.handler.ingest.aws.S3BucketReferences;
import io.imagescaler.handler.ingest.kafka.KafkaFailureTopic;
import io.imagescaler.handler.intake.Intake;
import io.imagescaler.handler.images.ImageService;
import io.imagescaler.handler.moderation.ModerationCheck;
import io.imagescaler.handler.moderation.Moderator;
import io.imagescaler.handler.moderation.ScreenedModerator;
import io.imagescaler.handler.moderation.aws.RekognitionModerator;
import io.imagescaler.handler.notification.Mailer;
import io.imagescaler.handler.notification.UploadNotifications;
import io.imagescaler.handler.notification.Webhooks;
import io.imagescaler.handler.notification.aws.SesMailer;
import io.imagescaler.handler.analytics.AnalyticsConfig;
import io.imagescaler.handler.analytics.EventLog;
import io.imagescaler.handler.analytics.LakeFiles;
import io.imagescaler.handler.analytics.Usage;
import io.imagescaler.handler.analytics.UsageEvents;
import io.imagescaler.handler.analytics.UsageQueries;
import io.imagescaler.handler.analytics.UsageReports;
import io.imagescaler.handler.analytics.UsageSql;
import io.imagescaler.handler.analytics.aws.AthenaUsageQueries;
import io.imagescaler.handler.analytics.aws.FirehoseEventLog;
import io.imagescaler.handler.storage.IdempotencyKeys;
import io.imagescaler.handler.storage.ImageRecords;
import io.imagescaler.handler.storage.Incoming;
import io.imagescaler.handler.storage.Originals;
import io.imagescaler.handler.storage.UploadSessions;
import io.imagescaler.handler.storage.Variants;
import io.imagescaler.handler.storage.aws.AwsClients;
import io.imagescaler.handler.storage.aws.AwsFailures;
import io.imagescaler.handler.storage.aws.DynamoIdempotencyKeys;
import io.imagescaler.handler.storage.aws.DynamoImageRecords;
import io.imagescaler.handler.storage.aws.DynamoUploadSessions;
import io.imagescaler.handler.storage.aws.S3Incoming;
import io.imagescaler.handler.storage.aws.S3Originals;
import io.imagescaler.handler.storage.aws.S3Variants;
import io.imagescaler.handler.tracing.EmbeddedMetrics;
import io.imagescaler.handler.tracing.NoTracing;
import io.imagescaler.handler.tracing.Telemetry;
import io.imagescaler.handler.tracing.Tracer;
import io.imagescaler.handler.tracing.TracingConfig;
import io.imagescaler.handler.tracing.aws.XRayTracer;
import io.imagescaler.handler.transform.EngineSelection;
import io.imagescaler.handler.transform.TransformEngine;
import io.imagescaler.handler.uploads.LargeUploads;
import io.imagescaler.handler.upscale.HttpUpscaler;
import io.imagescaler.handler.upscale.SuperResolution;
import io.imagescaler.handler.upscale.UpscaleConfig;
import io.imagescaler.handler.upscale.Upscaler;
import io.imagescaler.handler.upscale.aws.SageMakerUpscaler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the object graph from one configuration: the AWS adapters behind the core's ports.
 *
 * @param events the one publisher of outcomes (EventBridge, or {@link Events#NONE} without a bus), shared by
 *               every use case that announces something
 * @param intake the one intake of originals (uploads, large uploads, re-moderation, Kafka ingestion)
 * @param kafkaIngestion the Kafka entry point's use case ({@code KafkaIngestHandler})
 */
public record Wiring(HandlerConfig config, AwsClients clients, ImageService service, LargeUploads uploads,
                     Router router, Telemetry telemetry, TransformEngine engine, Usage usage, Events events,
                     Intake intake, KafkaIngestion kafkaIngestion,
                     io.imagescaler.handler.jobs.JobWorker jobWorker,
                     Optional<io.imagescaler.handler.jobs.JobService> jobs,
                     io.imagescaler.handler.jobs.ResultLinks resultLinks) {
    private static final Logger LOG = LoggerFactory.getLogger(Wiring.class);

    /** Lambda: every configuration from environment-style variables. */
    public static Wiring fromEnvironment(Function<String, String> env) {
        Function<String, String> resolved = io.imagescaler.handler.notification.aws.WebhookSecretSource.resolve(
                io.imagescaler.handler.cdn.aws.SsmParameters.resolve(env));
        return fromEnvironment(resolved, new NoCdnCache(), Optional.empty(), Optional.empty());
    }

    /**
     * The local edge: as on Lambda, plus its own stand-ins where AWS has a service and it has none.
     *
     * @param cacheWithoutDistribution the invalidator used when no CloudFront distribution is configured
     * @param mailerWithoutSes         the mailer used where SES is not (the local edge's SMTP server)
     * @param queriesWithoutAthena     usage reports where Athena is not (the local edge's DuckDB)
     */
    public static Wiring fromEnvironment(Function<String, String> env, CdnInvalidator cacheWithoutDistribution,
                                         Optional<Mailer> mailerWithoutSes,
                                         Optional<UsageQueries> queriesWithoutAthena) {
        return fromConfig(HandlerConfig.fromEnvironment(env), AuthConfig.fromEnvironment(env),
                UpscaleConfig.fromEnvironment(env), TracingConfig.fromEnvironment(env), cacheWithoutDistribution,
                mailerWithoutSes, AnalyticsConfig.fromEnvironment(env), queriesWithoutAthena,
                EventsConfig.fromEnvironment(env), IngestConfig.fromEnvironment(env),
                io.imagescaler.handler.jobs.JobsConfig.fromEnvironment(env));
    }

    public static Wiring fromConfig(HandlerConfig config, AuthConfig auth, UpscaleConfig upscale) {
        return fromConfig(config, auth, upscale, TracingConfig.off(), new NoCdnCache(), Optional.empty(),
                AnalyticsConfig.off(), Optional.empty());
    }

    public static Wiring fromConfig(HandlerConfig config, AuthConfig auth, UpscaleConfig upscale,
                                    TracingConfig tracing, CdnInvalidator cacheWithoutDistribution,
                                    Optional<Mailer> mailerWithoutSes, AnalyticsConfig analytics,
                                    Optional<UsageQueries> queriesWithoutAthena) {
        return fromConfig(config, auth, upscale, tracing, cacheWithoutDistribution, mailerWithoutSes, analytics,
                queriesWithoutAthena, EventsConfig.off(), IngestConfig.off(),
                io.imagescaler.handler.jobs.JobsConfig.fromEnvironment(k -> null));
    }

    public static Wiring fromConfig(HandlerConfig config, AuthConfig auth, UpscaleConfig upscale,
                                    TracingConfig tracing, CdnInvalidator cacheWithoutDistribution,
                                    Optional<Mailer> mailerWithoutSes, AnalyticsConfig analytics,
                                    Optional<UsageQueries> queriesWithoutAthena, EventsConfig eventsConfig,
                                    IngestConfig ingest, io.imagescaler.handler.jobs.JobsConfig jobsConfig) {
        LOG.info("image-handler configuration: {}", config);
        LOG.info("image-handler access: {}", auth);
        LOG.info("image-handler super-resolution: {}", upscale);
        LOG.info("image-handler telemetry: {}", tracing);
        LOG.info("image-handler analytics: {}", analytics);
        LOG.info("image-handler events: {}", eventsConfig);
        LOG.info("image-handler Kafka ingestion: {}", ingest);
        // The tracing adapter is picked here, once; the core only sees the Tracer port.
        Optional<XRayTracer> xray = tracing.xray()
                ? Optional.of(XRayTracer.toDaemon(tracing.daemonAddress(), tracing.insideLambda()))
                : Optional.empty();
        TransformEngine engine = EngineSelection.select(config.engine(), config.encoderEffort());
        String engineName = engine.finalOutput() ? "libvips" : "java";
        // the engine is a field and a metric (FallbackEngine) of every request's EMF log line
        Telemetry telemetry = new Telemetry(xray.<Tracer>map(x -> x).orElseGet(NoTracing::new),
                tracing.emf() ? Optional.of(new EmbeddedMetrics(tracing.namespace(), TracingConfig.SERVICE,
                        System.out::println, Clock.systemUTC(), engineName)) : Optional.empty());
        AwsClients clients = new AwsClients(config, xray.map(x -> List.of(x.sdkInterceptor())).orElse(List.of()));
        Clock clock = Clock.systemUTC();
        Optional<Moderator> moderator = clients.rekognition().<Moderator>map(r -> AwsFailures.guarded(Moderator.class,
                        "the moderation service (Rekognition)", new RekognitionModerator(r)))
                .map(m -> config.moderation().prefilterThreshold()
                        .map(threshold -> ScreenedModerator.around(m, threshold)).orElse(m));
        if (moderator.isEmpty()) {
            LOG.warn("moderation is OFF: uploads are stored without a moderation check");
        }
        CdnInvalidator cdn = clients.cloudFront()
                .<CdnInvalidator>map(cf -> AwsFailures.guarded(CdnInvalidator.class, "the CloudFront invalidation",
                        new CloudFrontInvalidator(cf, config.cdnDistributionId().orElseThrow())))
                .orElse(cacheWithoutDistribution);
        var originals = AwsFailures.guarded(Originals.class, "the originals store (S3)",
                new S3Originals(clients.s3(), clients.presigner(), config.originalsBucket()));
        var records = AwsFailures.guarded(ImageRecords.class, "the image records (DynamoDB)",
                new DynamoImageRecords(clients.dynamo(), config.table()));
        var moderation = new ModerationCheck(moderator, config.moderation().policy(), engine, clock);
        var usage = new Usage(usageEvents(analytics, clients), clock);
        Events events = events(eventsConfig, tracing, clients, clock);
        var intake = new Intake(config, engine, moderation, originals, records, usage, events, clock);
        var idempotency = new IdempotentRequests(AwsFailures.guarded(IdempotencyKeys.class,
                "the idempotency keys (DynamoDB)", new DynamoIdempotencyKeys(clients.dynamo(), config.table(), clock)),
                clock, config.resilience().idempotencyStale());
        ImageService service = new ImageService(config,
                originals,
                AwsFailures.guarded(Variants.class, "the generated-variants store (S3)",
                        new S3Variants(clients.s3(), config.generatedBucket())),
                records,
                engine,
                new SuperResolution(upscaler(upscale, clients), engine, upscale.maxInputPixels()),
                intake,
                cdn,
                idempotency,
                usage,
                events,
                clock);
        Optional<Mailer> mailer = clients.ses().<Mailer>map(ses -> AwsFailures.guarded(Mailer.class,
                        "the mail service (SES)", new SesMailer(ses, config.mailFrom().orElseThrow())))
                .or(() -> mailerWithoutSes);
        var webhooks = new Webhooks(config.webhooks(), clock);
        var notifications = new UploadNotifications(webhooks, mailer);
        LargeUploads uploads = new LargeUploads(config,
                AwsFailures.guarded(Incoming.class, "the upload store (S3)",
                        new S3Incoming(clients.s3(), clients.presigner(), config.originalsBucket())),
                AwsFailures.guarded(UploadSessions.class, "the upload sessions (DynamoDB)",
                        new DynamoUploadSessions(clients.dynamo(), config.table(), clock)),
                originals, records, intake, idempotency, notifications, clock);
        KafkaIngestion kafkaIngestion = new KafkaIngestion(ingest.settings(config.maxSyncUploadBytes(),
                        config.webhooks().allowPrivate()), intake, records, idempotency, notifications,
                new HttpsReferences(Duration.ofSeconds(3), Duration.ofSeconds(10)),
                AwsFailures.guarded(BucketReferences.class, "the referenced object store (S3)",
                        new S3BucketReferences(clients.s3())),
                new KafkaFailureTopic(ingest));
        Optional<UsageQueries> queries = analytics.athena().<UsageQueries>map(a -> new AthenaUsageQueries(
                clients.athena(), a.workgroup(), a.database(), a.timeout(), Duration.ofMillis(300)))
                .or(() -> queriesWithoutAthena);
        Optional<UsageReports> reports = queries.map(q -> new UsageReports(q, UsageSql.load(), usage.events(), clock));
        if (reports.isEmpty()) {
            LOG.warn("no analytics query engine configured: GET /v1/stats answers 503");
        }
        LOG.info("image-handler jobs: {}", jobsConfig);
        var resultLinks = resultLinks(jobsConfig, clients, clock);
        var jobRecords = AwsFailures.guarded(io.imagescaler.handler.jobs.Jobs.class, "the job records (DynamoDB)",
                new io.imagescaler.handler.jobs.aws.DynamoJobs(clients.dynamo(), config.table()));
        var generated = AwsFailures.guarded(Variants.class, "the generated-variants store (S3)",
                new S3Variants(clients.s3(), config.generatedBucket()));
        Optional<io.imagescaler.handler.jobs.JobService> jobs = jobsConfig.queueUrl().map(url ->
                new io.imagescaler.handler.jobs.JobService(jobRecords,
                        AwsFailures.guarded(io.imagescaler.handler.jobs.JobQueue.class, "the jobs queue (SQS)",
                                new io.imagescaler.handler.jobs.aws.SqsJobQueue(clients.sqs(jobsConfig.sqsEndpoint()),
                                        url)),
                        notifications, idempotency, usage, config.limits(), clock));
        if (jobs.isEmpty()) {
            LOG.warn("no JOBS_QUEUE_URL: POST /v1/images/{id}/jobs answers 503");
        }
        var worker = new io.imagescaler.handler.jobs.JobWorker(jobRecords, service, generated, resultLinks,
                webhooks, mailer, events, usage, jobsConfig.maxReceiveCount(),
                jobsConfig.stuckAfter(), clock);
        return new Wiring(config, clients, service, uploads,
                new Router(service, guard(auth, clients), uploads, reports.orElse(null), jobs, resultLinks), telemetry,
                engine, usage, events, intake, kafkaIngestion, worker, jobs, resultLinks);
    }

    /**
     * What the scheduled event (an EventBridge rule; locally {@code ScheduledSweeps}) runs: the large uploads'
     * sweeper, then the jobs' (one failing does not stop the other).
     */
    public Runnable sweeps() {
        return () -> {
            try {
                uploads.sweep();
            } catch (RuntimeException e) {
                LOG.error("large-upload sweep failed", e);
            }
            try {
                jobWorker.sweep();
            } catch (RuntimeException e) {
                LOG.error("job sweep failed", e);
            }
        };
    }

    /** The event publisher is picked here, once: EventBridge when a bus is configured, else none. */
    private static Events events(EventsConfig config, TracingConfig tracing, AwsClients clients, Clock clock) {
        if (config.busName().isEmpty()) {
            LOG.warn("no event bus configured (EVENT_BUS_NAME): image and job events are not published");
            return Events.NONE;
        }
        return new EventBridgeEvents(clients.eventBridge(config.endpoint()), config.busName().get(),
                tracing.namespace(), tracing.emf() ? System.out::println : line -> { }, clock);
    }

    /** The event log is picked here, once: Firehose on AWS, the local lake's files, or none. */
    private static UsageEvents usageEvents(AnalyticsConfig analytics, AwsClients clients) {
        EventLog log = analytics.eventStream().<EventLog>map(s -> new FirehoseEventLog(clients.firehose(), s))
                .or(() -> analytics.lakeDir().map(LakeFiles::new))
                .orElse(EventLog.NONE);
        if (log == EventLog.NONE) {
            LOG.warn("no analytics event log configured (EVENTS_STREAM or LAKE_DIR): usage events are dropped");
        }
        UsageEvents events = new UsageEvents(log, analytics.flushInterval(), System.out::println);
        if (log != EventLog.NONE) {
            // Lambda runs shutdown hooks when the environment is retired with an extension registered.
            Runtime.getRuntime().addShutdownHook(new Thread(events::close, "usage-events-shutdown"));
        }
        return events;
    }

    /** Result links are CloudFront signed URLs: the key from Secrets Manager on AWS, from a PEM file locally. */
    private static io.imagescaler.handler.jobs.ResultLinks resultLinks(io.imagescaler.handler.jobs.JobsConfig jobs,
                                                                      AwsClients clients, Clock clock) {
        if (!jobs.signsLinks()) {
            LOG.warn("no RESULT_URL_BASE/RESULT_KEY_PAIR_ID/RESULT_SIGNING_KEY_*: job results are listed without links");
            return io.imagescaler.handler.jobs.ResultLinks.NONE;
        }
        String keyPairId = jobs.keyPairId().orElseThrow();
        java.util.function.Supplier<io.imagescaler.signer.SigningKey> key = jobs.keySecret().isPresent()
                ? () -> AwsFailures.call("the result-signing key (Secrets Manager)",
                        () -> new io.imagescaler.signer.aws.SecretsManagerKeySource(clients.secretsManager())
                                .signingKey(jobs.keySecret().get(), keyPairId))
                : () -> {
                    try {
                        return io.imagescaler.signer.SigningKey.fromPemFile(keyPairId, jobs.keyFile().orElseThrow());
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException("RESULT_SIGNING_KEY_FILE is not readable", e);
                    }
                };
        return new io.imagescaler.handler.jobs.aws.SignedResultLinks(jobs.resultUrlBase().orElseThrow(), key,
                jobs.linkLifetime(), clock);
    }

    private static Optional<Upscaler> upscaler(UpscaleConfig upscale, AwsClients clients) {
        if (upscale.endpointName().isPresent()) {
            return Optional.of(AwsFailures.guarded(Upscaler.class, "the super-resolution endpoint (SageMaker)",
                    new SageMakerUpscaler(clients.sageMakerRuntime(upscale.timeout()),
                            upscale.endpointName().get(), upscale.scales())));
        }
        return upscale.endpointUrl().map(url -> new HttpUpscaler(url, upscale.scales(), upscale.timeout()));
    }

    private static Guard guard(AuthConfig auth, AwsClients clients) {
        Optional<OriginSecretSource> secrets = auth.originSecretArn()
                .<OriginSecretSource>map(arn -> AwsFailures.guarded(OriginSecretSource.class,
                        "the origin secret (Secrets Manager)", new SecretsManagerOriginSecrets(clients.secretsManager(),
                                arn, Duration.ofMinutes(1), Clock.systemUTC())))
                .or(() -> auth.originSecrets().map(s -> () -> s));
        if (secrets.isEmpty()) {
            LOG.warn("no origin secret configured: requests are NOT checked for X-Origin-Verify");
        }
        if (auth.tokens().isEmpty()) {
            LOG.warn("no token issuer configured: uploads are anonymous and records are not owner-only");
        }
        return new Guard(secrets.map(OriginVerification::new), auth.tokens().map(TokenVerifier::new));
    }
}
