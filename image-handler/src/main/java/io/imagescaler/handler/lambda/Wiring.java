package io.imagescaler.handler.lambda;

import io.imagescaler.handler.api.Router;
import io.imagescaler.handler.config.HandlerConfig;
import io.imagescaler.handler.images.ImageService;
import io.imagescaler.handler.storage.aws.AwsClients;
import io.imagescaler.handler.storage.aws.DynamoImageRecords;
import io.imagescaler.handler.storage.aws.S3Originals;
import io.imagescaler.handler.storage.aws.S3Variants;
import io.imagescaler.handler.transform.Pipeline;
import io.imagescaler.handler.auth.AuthConfig;
import io.imagescaler.handler.auth.Guard;
import io.imagescaler.handler.auth.OriginSecretSource;
import io.imagescaler.handler.auth.OriginVerification;
import io.imagescaler.handler.auth.TokenVerifier;
import io.imagescaler.handler.auth.aws.SecretsManagerOriginSecrets;
import io.imagescaler.handler.upscale.HttpUpscaler;
import io.imagescaler.handler.upscale.SuperResolution;
import io.imagescaler.handler.upscale.UpscaleConfig;
import io.imagescaler.handler.upscale.Upscaler;
import io.imagescaler.handler.upscale.aws.SageMakerUpscaler;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the object graph from one configuration: the AWS adapters behind the core's ports. */
public record Wiring(HandlerConfig config, AwsClients clients, ImageService service, Router router) {
    private static final Logger LOG = LoggerFactory.getLogger(Wiring.class);

    /** Lambda and the local edge: both configurations from environment-style variables. */
    public static Wiring fromEnvironment(Function<String, String> env) {
        return fromConfig(HandlerConfig.fromEnvironment(env), AuthConfig.fromEnvironment(env),
                UpscaleConfig.fromEnvironment(env));
    }

    public static Wiring fromConfig(HandlerConfig config, AuthConfig auth, UpscaleConfig upscale) {
        LOG.info("image-handler configuration: {}", config);
        LOG.info("image-handler access: {}", auth);
        LOG.info("image-handler super-resolution: {}", upscale);
        AwsClients clients = new AwsClients(config);
        Pipeline engine = new Pipeline();
        ImageService service = new ImageService(config,
                new S3Originals(clients.s3(), clients.presigner(), config.originalsBucket()),
                new S3Variants(clients.s3(), config.generatedBucket()),
                new DynamoImageRecords(clients.dynamo(), config.table()),
                engine,
                new SuperResolution(upscaler(upscale, clients), engine, upscale.maxInputPixels()),
                Clock.systemUTC());
        return new Wiring(config, clients, service, new Router(service, guard(auth, clients)));
    }

    private static Optional<Upscaler> upscaler(UpscaleConfig upscale, AwsClients clients) {
        if (upscale.endpointName().isPresent()) {
            return Optional.of(new SageMakerUpscaler(clients.sageMakerRuntime(upscale.timeout()),
                    upscale.endpointName().get(), upscale.scales()));
        }
        return upscale.endpointUrl().map(url -> new HttpUpscaler(url, upscale.scales(), upscale.timeout()));
    }

    private static Guard guard(AuthConfig auth, AwsClients clients) {
        Optional<OriginSecretSource> secrets = auth.originSecretArn()
                .<OriginSecretSource>map(arn -> new SecretsManagerOriginSecrets(clients.secretsManager(), arn,
                        Duration.ofMinutes(1), Clock.systemUTC()))
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
