package io.imagescaler.handler.jobs;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The jobs' configuration (environment variables; README "Configuration").
 *
 * @param queueUrl         {@code JOBS_QUEUE_URL}: where submits go; empty = jobs are not offered (503)
 * @param sqsEndpoint      {@code SQS_ENDPOINT}: the local SQS protocol server; empty on AWS
 * @param maxReceiveCount  {@code JOBS_MAX_RECEIVE_COUNT}: the redrive policy's count; the attempt that reaches it
 *                         marks a failing job FAILED
 * @param resultUrlBase    {@code RESULT_URL_BASE}: the CloudFront (or local edge) origin of result links
 * @param keyPairId        {@code RESULT_KEY_PAIR_ID}: the CloudFront public key id signing them
 * @param keySecret        {@code RESULT_SIGNING_KEY_SECRET}: Secrets Manager id of the private key (AWS)
 * @param keyFile          {@code RESULT_SIGNING_KEY_FILE}: a PEM file with the private key (local)
 * @param linkLifetime     {@code RESULT_URL_LIFETIME_SECONDS}: default 7 days, the processed/ lifecycle
 * @param stuckAfter       {@code JOBS_STUCK_AFTER_SECONDS}: how long a job may sit PROCESSING without a move before
 *                         the sweep fails it; at least the queue's visibility timeout times its redrive count (then
 *                         no attempt can still be running and the message is in the dead-letter queue)
 */
public record JobsConfig(Optional<String> queueUrl, Optional<URI> sqsEndpoint, int maxReceiveCount,
                         Optional<String> resultUrlBase, Optional<String> keyPairId, Optional<String> keySecret,
                         Optional<Path> keyFile, Duration linkLifetime, Duration stuckAfter) {

    public static JobsConfig fromEnvironment(Function<String, String> env) {
        Function<String, Optional<String>> get = k -> Optional.ofNullable(env.apply(k)).filter(v -> !v.isBlank());
        int maxReceive = get.apply("JOBS_MAX_RECEIVE_COUNT").map(Integer::parseInt).orElse(3);
        if (maxReceive < 1) {
            throw new IllegalArgumentException("configuration: JOBS_MAX_RECEIVE_COUNT must be at least 1");
        }
        return new JobsConfig(get.apply("JOBS_QUEUE_URL"), get.apply("SQS_ENDPOINT").map(URI::create), maxReceive,
                get.apply("RESULT_URL_BASE"), get.apply("RESULT_KEY_PAIR_ID"), get.apply("RESULT_SIGNING_KEY_SECRET"),
                get.apply("RESULT_SIGNING_KEY_FILE").map(Path::of),
                Duration.ofSeconds(get.apply("RESULT_URL_LIFETIME_SECONDS").map(Long::parseLong).orElse(604_800L)),
                // the CDK app's queue: visibility 6 x 900 s, 3 receives
                Duration.ofSeconds(get.apply("JOBS_STUCK_AFTER_SECONDS").map(Long::parseLong).orElse(3L * 5400)));
    }

    /** Whether result links can be signed: a base, a key pair id and a key. */
    public boolean signsLinks() {
        return resultUrlBase.isPresent() && keyPairId.isPresent() && (keySecret.isPresent() || keyFile.isPresent());
    }
}
