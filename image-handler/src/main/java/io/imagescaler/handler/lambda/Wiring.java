package io.imagescaler.handler.lambda;

import io.imagescaler.handler.api.Router;
import io.imagescaler.handler.cdn.CdnInvalidator;
import io.imagescaler.handler.cdn.NoCdnCache;
import io.imagescaler.handler.cdn.aws.CloudFrontInvalidator;
import io.imagescaler.handler.config.HandlerConfig;
import io.imagescaler.handler.idempotency.IdempotentRequests;
import io.imagescaler.handler.images.ImageService;
import io.imagescaler.handler.moderation.ModerationCheck;
import io.imagescaler.handler.moderation.Moderator;
import io.imagescaler.handler.moderation.aws.RekognitionModerator;
import io.imagescaler.handler.notification.Mailer;
import io.imagescaler.handler.notification.UploadNotifications;
import io.imagescaler.handler.notification.Webhooks;
import io.imagescaler.handler.notification.aws.SesMailer;
import io.imagescaler.handler.storage.aws.AwsClients;
import io.imagescaler.handler.stats.Usage;
import io.imagescaler.handler.storage.aws.DynamoIdempotencyKeys;
import io.imagescaler.handler.storage.aws.DynamoImageRecords;
import io.imagescaler.handler.storage.aws.DynamoUsageCounters;
import io.imagescaler.handler.storage.aws.DynamoUploadSessions;
import io.imagescaler.handler.storage.aws.S3Incoming;
import io.imagescaler.handler.uploads.LargeUploads;
import io.imagescaler.handler.storage.aws.S3Originals;
import io.imagescaler.handler.storage.aws.S3Variants;
import io.imagescaler.handler.transform.Pipeline;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the object graph from one configuration: the AWS adapters behind the core's ports. */
public record Wiring(HandlerConfig config, AwsClients clients, ImageService service, LargeUploads uploads,
                     Router router) {
    private static final Logger LOG = LoggerFactory.getLogger(Wiring.class);

    public static Wiring fromConfig(HandlerConfig config) {
        return fromConfig(config, new NoCdnCache(), Optional.empty());
    }

    /**
     * @param cacheWithoutDistribution the invalidator used when no CloudFront distribution is configured
     *                                 (the local edge passes its own)
     * @param mailerWithoutSes         the mailer used where SES is not (the local edge's SMTP server)
     */
    public static Wiring fromConfig(HandlerConfig config, CdnInvalidator cacheWithoutDistribution,
                                    Optional<Mailer> mailerWithoutSes) {
        LOG.info("image-handler configuration: {}", config);
        AwsClients clients = new AwsClients(config);
        Pipeline engine = new Pipeline();
        Clock clock = Clock.systemUTC();
        Optional<Moderator> moderator = clients.rekognition().map(RekognitionModerator::new);
        if (moderator.isEmpty()) {
            LOG.warn("moderation is OFF: uploads are stored without a moderation check");
        }
        CdnInvalidator cdn = clients.cloudFront()
                .<CdnInvalidator>map(cf -> new CloudFrontInvalidator(cf, config.cdnDistributionId().orElseThrow()))
                .orElse(cacheWithoutDistribution);
        var originals = new S3Originals(clients.s3(), clients.presigner(), config.originalsBucket());
        var records = new DynamoImageRecords(clients.dynamo(), config.table());
        var moderation = new ModerationCheck(moderator, config.moderation().policy(), engine, clock);
        var usage = new Usage(new DynamoUsageCounters(clients.dynamo(), config.table()), clock);
        var idempotency = new IdempotentRequests(new DynamoIdempotencyKeys(clients.dynamo(), config.table(), clock),
                clock);
        ImageService service = new ImageService(config,
                originals,
                new S3Variants(clients.s3(), config.generatedBucket()),
                records,
                engine,
                moderation,
                cdn,
                idempotency,
                usage,
                clock);
        LargeUploads uploads = new LargeUploads(config,
                new S3Incoming(clients.s3(), clients.presigner(), config.originalsBucket()),
                new DynamoUploadSessions(clients.dynamo(), config.table(), clock),
                originals, records, engine, moderation, usage, idempotency,
                new UploadNotifications(new Webhooks(config.webhooks(), clock),
                        clients.ses().<Mailer>map(ses -> new SesMailer(ses, config.mailFrom().orElseThrow()))
                                .or(() -> mailerWithoutSes)),
                clock);
        return new Wiring(config, clients, service, uploads, new Router(service, uploads));
    }
}
