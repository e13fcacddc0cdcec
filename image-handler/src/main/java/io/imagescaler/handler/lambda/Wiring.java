package io.imagescaler.handler.lambda;

import io.imagescaler.handler.api.Router;
import io.imagescaler.handler.cdn.CdnInvalidator;
import io.imagescaler.handler.cdn.NoCdnCache;
import io.imagescaler.handler.cdn.aws.CloudFrontInvalidator;
import io.imagescaler.handler.config.HandlerConfig;
import io.imagescaler.handler.images.ImageService;
import io.imagescaler.handler.moderation.ModerationCheck;
import io.imagescaler.handler.moderation.Moderator;
import io.imagescaler.handler.moderation.aws.RekognitionModerator;
import io.imagescaler.handler.storage.aws.AwsClients;
import io.imagescaler.handler.stats.Usage;
import io.imagescaler.handler.storage.aws.DynamoIdempotencyKeys;
import io.imagescaler.handler.storage.aws.DynamoImageRecords;
import io.imagescaler.handler.storage.aws.DynamoUsageCounters;
import io.imagescaler.handler.storage.aws.S3Originals;
import io.imagescaler.handler.storage.aws.S3Variants;
import io.imagescaler.handler.transform.Pipeline;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the object graph from one configuration: the AWS adapters behind the core's ports. */
public record Wiring(HandlerConfig config, AwsClients clients, ImageService service, Router router) {
    private static final Logger LOG = LoggerFactory.getLogger(Wiring.class);

    public static Wiring fromConfig(HandlerConfig config) {
        return fromConfig(config, new NoCdnCache());
    }

    /**
     * @param cacheWithoutDistribution the invalidator used when no CloudFront distribution is configured
     *                                 (the local edge passes its own)
     */
    public static Wiring fromConfig(HandlerConfig config, CdnInvalidator cacheWithoutDistribution) {
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
        ImageService service = new ImageService(config,
                new S3Originals(clients.s3(), clients.presigner(), config.originalsBucket()),
                new S3Variants(clients.s3(), config.generatedBucket()),
                new DynamoImageRecords(clients.dynamo(), config.table()),
                engine,
                new ModerationCheck(moderator, config.moderation().policy(), engine, clock),
                cdn,
                new DynamoIdempotencyKeys(clients.dynamo(), config.table(), clock),
                new Usage(new DynamoUsageCounters(clients.dynamo(), config.table()), clock),
                clock);
        return new Wiring(config, clients, service, new Router(service));
    }
}
