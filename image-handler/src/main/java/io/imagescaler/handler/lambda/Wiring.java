package io.imagescaler.handler.lambda;

import io.imagescaler.handler.api.Router;
import io.imagescaler.handler.config.HandlerConfig;
import io.imagescaler.handler.images.ImageService;
import io.imagescaler.handler.storage.aws.AwsClients;
import io.imagescaler.handler.storage.aws.DynamoImageRecords;
import io.imagescaler.handler.storage.aws.S3Originals;
import io.imagescaler.handler.storage.aws.S3Variants;
import io.imagescaler.handler.transform.Pipeline;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the object graph from one configuration: the AWS adapters behind the core's ports. */
public record Wiring(HandlerConfig config, AwsClients clients, ImageService service, Router router) {
    private static final Logger LOG = LoggerFactory.getLogger(Wiring.class);

    public static Wiring fromConfig(HandlerConfig config) {
        LOG.info("image-handler configuration: {}", config);
        AwsClients clients = new AwsClients(config);
        ImageService service = new ImageService(config,
                new S3Originals(clients.s3(), clients.presigner(), config.originalsBucket()),
                new S3Variants(clients.s3(), config.generatedBucket()),
                new DynamoImageRecords(clients.dynamo(), config.table()),
                new Pipeline(),
                Clock.systemUTC());
        return new Wiring(config, clients, service, new Router(service));
    }
}
