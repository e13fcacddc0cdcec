package io.imagescaler.handler.ingest;

import io.imagescaler.handler.analytics.Usage;
import io.imagescaler.handler.config.HandlerConfig;
import io.imagescaler.handler.error.ImageScalerException.UpstreamFailure;
import io.imagescaler.handler.events.Events;
import io.imagescaler.handler.idempotency.IdempotentRequests;
import io.imagescaler.handler.intake.Intake;
import io.imagescaler.handler.intake.MemoryStores.LabelledModerator;
import io.imagescaler.handler.intake.MemoryStores.MemoryImageRecords;
import io.imagescaler.handler.intake.MemoryStores.MemoryKeys;
import io.imagescaler.handler.intake.MemoryStores.MemoryOriginals;
import io.imagescaler.handler.moderation.ModerationCheck;
import io.imagescaler.handler.moderation.ModerationPolicy;
import io.imagescaler.handler.notification.Mailer;
import io.imagescaler.handler.notification.UploadNotifications;
import io.imagescaler.handler.notification.Webhooks;
import io.imagescaler.handler.transform.EngineSelection;
import io.imagescaler.handler.transform.TransformEngine;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Kafka ingestion over in-memory ports, a fixed clock and the pure-Java engine (shared by its tests). */
final class IngestFixture {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T06:00:00Z"), ZoneOffset.UTC);
    static final String CLUSTER = "broker-1:9092,broker-2:9092";

    final HandlerConfig config = HandlerConfig.fromEnvironment(k -> null);
    final TransformEngine engine = EngineSelection.select(EngineSelection.Choice.JAVA);
    final MemoryOriginals originals = new MemoryOriginals();
    final MemoryImageRecords records = new MemoryImageRecords();
    final MemoryKeys keys = new MemoryKeys(CLOCK);
    final LabelledModerator model = new LabelledModerator();
    final Events.Recorded events = new Events.Recorded();
    final Mails mails = new Mails();
    final Topic failures = new Topic();
    /** url -> bytes: what the web answers; a URL not listed is "not found". */
    final Map<URI, byte[]> web = new HashMap<>();
    /** "bucket/key" -> bytes */
    final Map<String, byte[]> bucketObjects = new HashMap<>();
    final Intake intake;
    final KafkaIngestion ingestion;

    IngestFixture(boolean allowPrivateHosts) {
        var moderation = new ModerationCheck(Optional.of(model),
                new ModerationPolicy(75, Set.of("Explicit Nudity"), Set.of("Violence")), engine, CLOCK);
        intake = new Intake(config, engine, moderation, originals, records, Usage.none(CLOCK), events, CLOCK);
        var idempotency = new IdempotentRequests(keys, CLOCK, Duration.ofSeconds(30));
        var notifications = new UploadNotifications(new Webhooks(new Webhooks.Settings(Optional.empty(), false, 1,
                Duration.ofMillis(1)), CLOCK), Optional.of(mails));
        WebReferences webRefs = (url, max) -> {
            byte[] b = web.get(url);
            if (b == null) {
                throw new io.imagescaler.handler.error.ImageScalerException.NotFound("the reference's url " + url
                        + " answered 404");
            }
            if (b.length > max) {
                throw new io.imagescaler.handler.error.ImageScalerException.PayloadTooLarge("too large");
            }
            return b;
        };
        BucketReferences bucketRefs = (bucket, key, max) -> Optional.ofNullable(bucketObjects.get(bucket + "/" + key));
        ingestion = new KafkaIngestion(new KafkaIngestion.Settings(1024 * 1024, config.maxSyncUploadBytes(),
                allowPrivateHosts, Set.of("partner-uploads")), intake, records, idempotency, notifications, webRefs,
                bucketRefs, failures);
    }

    /** A message on image-uploads partition 0 at {@code offset}, with the given headers (name, value, ...). */
    static KafkaIngestion.Message message(long offset, byte[] key, byte[] value, String... headers) {
        List<KafkaIngestion.Header> h = new ArrayList<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(new KafkaIngestion.Header(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8)));
        }
        return new KafkaIngestion.Message(CLUSTER, "image-uploads", 0, offset, Optional.ofNullable(key), h, value);
    }

    static final class Mails implements Mailer {
        record Mail(String to, String subject, String text) {
        }

        final List<Mail> sent = new ArrayList<>();

        @Override
        public synchronized void send(String to, String subject, String text) {
            sent.add(new Mail(to, subject, text));
        }
    }

    /** The failure topic: what was produced, or a cluster that is down. */
    static final class Topic implements FailureTopic {
        record Produced(KafkaIngestion.Message refused, String value) {
        }

        final List<Produced> produced = new ArrayList<>();
        boolean down;

        @Override
        public synchronized void publish(KafkaIngestion.Message refused, byte[] value) {
            if (down) {
                throw new UpstreamFailure("the failure topic (Kafka) did not take the message (test)", null);
            }
            produced.add(new Produced(refused, new String(value, StandardCharsets.UTF_8)));
        }
    }
}
