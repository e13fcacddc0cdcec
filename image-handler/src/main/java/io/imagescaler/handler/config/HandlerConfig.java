package io.imagescaler.handler.config;

import io.imagescaler.handler.moderation.ModerationPolicy;
import io.imagescaler.handler.transform.EncoderEffort;
import io.imagescaler.handler.transform.EngineSelection;
import io.imagescaler.handler.transform.Limits;
import io.imagescaler.spec.TransformSpec;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Everything the handler is configured with: read once at start (from the environment on Lambda, from
 * the local edge's defaults locally), validated, and printed with secrets redacted.
 *
 * @param endpoints     service endpoints and credentials for local mode; empty on AWS (where the Lambda's
 *                      environment credentials and region are used, never the EC2 metadata chain)
 * @param presets       named transforms, e.g. {@code thumb -> w_150,h_150,fit_cover}
 * @param maxResponseBytes largest body a response may carry; larger variants are stored and answered
 *                      with a redirect (API Gateway + Lambda carry ~6 MB of base64, ~4.5 MB of binary)
 * @param variantBounds which variants may be asked for at all ({@code WIDTH_LADDER}, {@code PRESETS_ONLY})
 * @param moderation    whether uploads are moderated, and what blurs or rejects an image
 * @param cdnDistributionId the CloudFront distribution to invalidate after a purge; empty where there is
 *                      no CDN cache (the local edge, whose only cache is the generated bucket)
 * @param maxLargeUploadBytes largest declared size of a {@code POST /v1/uploads} upload; processing streams
 *                      the object to {@code processingDir}, so this must fit there (Lambda: ephemeral /tmp,
 *                      at most 10 GB), never in the heap
 * @param webhooks      the signing secret and retry policy of upload webhooks
 * @param mailFrom      sender of upload emails (SES v2 on AWS); empty = no email notification on AWS
 * @param maxJpegSourcePixels the pixel limit for JPEG originals, which decode with shrink-on-load (DCT
 *                      scaling) and so never need their full raster for a variant within the output limit
 * @param engine        which transform engine renders ({@code IMAGE_ENGINE}): native, java, or auto (native
 *                      when libvips works here, else, off Lambda, the pure-Java engine)
 * @param encoderEffort how hard libvips' WebP and AVIF encoders work ({@code WEBP_EFFORT}, {@code AVIF_EFFORT})
 * @param processingDir where large uploads are streamed to while they are processed
 * @param sweepAfter    how long an upload may stay PROCESSING after completion (or UPLOADING after its
 *                      expiry) before the sweeper processes or fails it; longer than the processing
 *                      function's timeout, so a sweep never races a live processing of the same image
 * @param resilience    how uploads survive crashes and how renders are bounded under load
 */
public record HandlerConfig(
        String region,
        String originalsBucket,
        String generatedBucket,
        String table,
        Optional<LocalEndpoints> endpoints,
        Limits limits,
        long maxSyncUploadBytes,
        long maxResponseBytes,
        Duration variantMaxAge,
        Map<String, TransformSpec> presets,
        VariantBounds variantBounds,
        ModerationSettings moderation,
        Optional<String> cdnDistributionId,
        long maxLargeUploadBytes,
        io.imagescaler.handler.notification.Webhooks.Settings webhooks,
        Optional<String> mailFrom,
        long maxJpegSourcePixels,
        EngineSelection.Choice engine,
        EncoderEffort encoderEffort,
        java.nio.file.Path processingDir,
        Duration sweepAfter,
        Resilience resilience) {

    /**
     * @param provisionalLifetime how long a synchronous upload's provisional record lives; after it (and
     *                            {@code sweepAfter}) the sweeper undoes what a crashed upload left
     * @param idempotencyStale    after this an {@code Idempotency-Key} whose first request never finished
     *                            may be claimed by a retry; longer than a request can run
     * @param renderConcurrency   renders at once in this process
     * @param renderQueue         misses that may wait for a render slot; more answer 503 {@code overloaded}
     * @param renderQueueWait     longest wait for a slot
     * @param maxOutputPixels     largest output one render may produce
     * @param maxEffectWork       largest effect work of one render: output pixels times the blur or sharpen
     *                            kernel taps
     */
    public record Resilience(Duration provisionalLifetime, Duration idempotencyStale, int renderConcurrency,
                             int renderQueue, Duration renderQueueWait, long maxOutputPixels, long maxEffectWork) {
        public static final Resilience DEFAULT = new Resilience(Duration.ofMinutes(2), Duration.ofSeconds(30),
                Math.max(2, Runtime.getRuntime().availableProcessors()), 32, Duration.ofSeconds(20), 40_000_000L,
                2_500_000_000L);

        public Resilience {
            require(provisionalLifetime.isPositive() && idempotencyStale.isPositive() && renderQueueWait.isPositive(),
                    "PROVISIONAL_SECONDS, IDEMPOTENCY_STALE_SECONDS and RENDER_QUEUE_WAIT_SECONDS must be positive");
            require(renderConcurrency > 0 && renderQueue >= 0, "RENDER_CONCURRENCY must be positive, RENDER_QUEUE >= 0");
            require(maxOutputPixels > 0 && maxEffectWork > 0, "render budgets must be positive");
        }

        static Resilience fromEnvironment(Function<String, Optional<String>> get) {
            Resilience d = DEFAULT;
            return new Resilience(
                    get.apply("PROVISIONAL_SECONDS").map(Long::parseLong).map(Duration::ofSeconds)
                            .orElse(d.provisionalLifetime()),
                    get.apply("IDEMPOTENCY_STALE_SECONDS").map(Long::parseLong).map(Duration::ofSeconds)
                            .orElse(d.idempotencyStale()),
                    get.apply("RENDER_CONCURRENCY").map(Integer::parseInt).orElse(d.renderConcurrency()),
                    get.apply("RENDER_QUEUE").map(Integer::parseInt).orElse(d.renderQueue()),
                    get.apply("RENDER_QUEUE_WAIT_SECONDS").map(Long::parseLong).map(Duration::ofSeconds)
                            .orElse(d.renderQueueWait()),
                    get.apply("MAX_OUTPUT_PIXELS").map(Long::parseLong).orElse(d.maxOutputPixels()),
                    get.apply("MAX_EFFECT_WORK").map(Long::parseLong).orElse(d.maxEffectWork()));
        }
    }

    /**
     * Where the local stand-ins listen, and the static credentials they accept.
     *
     * @param rekognition the local Rekognition protocol server; without it local uploads are not moderated
     */
    public record LocalEndpoints(URI s3, URI dynamodb, String accessKey, String secretKey,
                                 Optional<URI> rekognition) {
        @Override
        public String toString() {
            return "LocalEndpoints[s3=" + s3 + ", dynamodb=" + dynamodb + ", rekognition="
                    + rekognition.map(URI::toString).orElse("none") + ", accessKey=" + accessKey + ", secretKey=***]";
        }
    }

    /**
     * @param enabled            false only by configuration ({@code MODERATION=off}) or a local setup without a server
     * @param prefilterThreshold {@code MODERATION_PREFILTER_THRESHOLD} (0..1]: a local model's safe probability at
     *                           or above which Rekognition is not asked; empty (the default) = no pre-filter
     */
    public record ModerationSettings(boolean enabled, ModerationPolicy policy, Optional<Double> prefilterThreshold) {
        public ModerationSettings {
            prefilterThreshold.ifPresent(t -> require(t > 0 && t <= 1,
                    "MODERATION_PREFILTER_THRESHOLD must be in (0, 1]"));
        }

        public ModerationSettings(boolean enabled, ModerationPolicy policy) {
            this(enabled, policy, Optional.empty());
        }
    }

    /**
     * 8 GiB: Lambda's /tmp holds at most 10 GB (the CDK app asks for all of it), and the libvips natives
     * unpacked there and some slack need the rest.
     */
    public static final long DEFAULT_MAX_LARGE_UPLOAD_BYTES = 8L * 1024 * 1024 * 1024;

    public static final Map<String, String> DEFAULT_PRESETS = Map.of(
            "thumb", "w_150,h_150,fit_cover",
            "card", "w_600,h_400,fit_cover",
            "hero", "w_1600,h_900,fit_cover",
            "avatar", "w_96,h_96,fit_cover,pos_smart");

    public HandlerConfig {
        require(!originalsBucket.isBlank() && !generatedBucket.isBlank() && !table.isBlank(),
                "bucket and table names must be set");
        require(maxSyncUploadBytes > 0 && maxResponseBytes > 0, "byte limits must be positive");
        presets = Map.copyOf(presets);
        require(maxLargeUploadBytes > 0, "MAX_LARGE_UPLOAD_BYTES must be positive");
        require(sweepAfter.isPositive(), "SWEEP_AFTER_SECONDS must be positive");
        for (TransformSpec p : presets.values()) {
            require(p.preset() == null, "a preset may not refer to another preset");
        }
    }

    /** Reads the configuration from environment-style variables (see the README's configuration table). */
    public static HandlerConfig fromEnvironment(Function<String, String> env) {
        Function<String, Optional<String>> get = k -> Optional.ofNullable(env.apply(k)).filter(v -> !v.isBlank());
        Optional<LocalEndpoints> local = get.apply("S3_ENDPOINT").map(s3 -> new LocalEndpoints(
                URI.create(s3),
                URI.create(get.apply("DYNAMODB_ENDPOINT").orElseThrow(() -> new IllegalArgumentException(
                        "DYNAMODB_ENDPOINT must be set with S3_ENDPOINT"))),
                get.apply("LOCAL_ACCESS_KEY").orElse("local"),
                get.apply("LOCAL_SECRET_KEY").orElse("local-secret"),
                get.apply("REKOGNITION_ENDPOINT").map(URI::create)));
        // Locally, moderation needs the local protocol server: a local setup never falls back to AWS.
        boolean moderated = !get.apply("MODERATION").orElse("on").equalsIgnoreCase("off")
                && local.map(l -> l.rekognition().isPresent()).orElse(true);
        ModerationPolicy policy = new ModerationPolicy(
                get.apply("MODERATION_MIN_CONFIDENCE").map(Double::parseDouble)
                        .orElse(ModerationPolicy.DEFAULT_MIN_CONFIDENCE),
                get.apply("MODERATION_BLOCKED_CATEGORIES").map(HandlerConfig::names)
                        .orElse(ModerationPolicy.DEFAULT_BLOCKED),
                get.apply("MODERATION_REJECTED_CATEGORIES").map(HandlerConfig::names).orElse(Set.of()));
        Limits limits = new Limits(
                get.apply("MAX_SOURCE_PIXELS").map(Long::parseLong).orElse(Limits.DEFAULT.maxSourcePixels()),
                get.apply("MAX_FRAMES").map(Integer::parseInt).orElse(Limits.DEFAULT.maxFrames()),
                get.apply("MAX_OUTPUT_SIDE").map(Integer::parseInt).orElse(Limits.DEFAULT.maxOutputSide()));
        return new HandlerConfig(
                get.apply("AWS_REGION").orElse("us-east-1"),
                get.apply("ORIGINALS_BUCKET").orElse("image-storage"),
                get.apply("GENERATED_BUCKET").orElse("image-storage-generated"),
                get.apply("TABLE_NAME").orElse("image-records"),
                local,
                limits,
                get.apply("MAX_SYNC_UPLOAD_BYTES").map(Long::parseLong).orElse(5L * 1024 * 1024),
                get.apply("MAX_RESPONSE_BYTES").map(Long::parseLong).orElse(4_500_000L),
                get.apply("VARIANT_MAX_AGE_SECONDS").map(Long::parseLong).map(Duration::ofSeconds)
                        .orElse(Duration.ofDays(365)),
                parsePresets(get.apply("PRESETS").orElse(null)),
                new VariantBounds(VariantBounds.parseLadder(get.apply("WIDTH_LADDER").orElse(null)),
                        get.apply("PRESETS_ONLY").map(v -> flag("PRESETS_ONLY", v)).orElse(false)),
                new ModerationSettings(moderated, policy,
                        get.apply("MODERATION_PREFILTER_THRESHOLD").map(Double::parseDouble)),
                get.apply("CLOUDFRONT_DISTRIBUTION_ID"),
                get.apply("MAX_LARGE_UPLOAD_BYTES").map(Long::parseLong).orElse(DEFAULT_MAX_LARGE_UPLOAD_BYTES),
                new io.imagescaler.handler.notification.Webhooks.Settings(
                        get.apply("WEBHOOK_SECRET"),
                        get.apply("WEBHOOK_ALLOW_PRIVATE").map(Boolean::parseBoolean).orElse(false),
                        get.apply("WEBHOOK_ATTEMPTS").map(Integer::parseInt).orElse(4),
                        Duration.ofMillis(get.apply("WEBHOOK_FIRST_BACKOFF_MS").map(Long::parseLong).orElse(500L))),
                get.apply("MAIL_FROM"),
                get.apply("MAX_JPEG_SOURCE_PIXELS").map(Long::parseLong).orElse(300_000_000L),
                EngineSelection.Choice.parse(get.apply("IMAGE_ENGINE").orElse(null)),
                EncoderEffort.parse(get.apply("WEBP_EFFORT"), get.apply("AVIF_EFFORT")),
                java.nio.file.Path.of(get.apply("PROCESSING_DIR").orElse(System.getProperty("java.io.tmpdir"))),
                Duration.ofSeconds(get.apply("SWEEP_AFTER_SECONDS").map(Long::parseLong).orElse(20L * 60)),
                Resilience.fromEnvironment(get));
    }

    /**
     * The limits for this original: JPEGs (magic bytes FF D8 FF) may have up to {@code maxJpegSourcePixels}
     * because they decode shrunk on load; every other format keeps {@link #limits()}.
     */
    public Limits limitsFor(byte[] source) {
        boolean jpeg = source != null && source.length > 3 && (source[0] & 0xff) == 0xFF
                && (source[1] & 0xff) == 0xD8 && (source[2] & 0xff) == 0xFF;
        if (!jpeg || maxJpegSourcePixels <= limits.maxSourcePixels()) {
            return limits;
        }
        return new Limits(maxJpegSourcePixels, limits.maxFrames(), limits.maxOutputSide());
    }

    /** A comma-separated list of category names ({@code Explicit Nudity,Violence}). */
    static Set<String> names(String commaSeparated) {
        return java.util.Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(n -> !n.isEmpty())
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** {@code thumb=w_150,h_150,fit_cover;card=w_600}; null means the defaults. */
    public static Map<String, TransformSpec> parsePresets(String spelled) {
        Map<String, String> raw = new LinkedHashMap<>();
        if (spelled == null) {
            raw.putAll(DEFAULT_PRESETS);
        } else {
            for (String entry : spelled.split(";")) {
                if (entry.isBlank()) continue;
                int eq = entry.indexOf('=');
                require(eq > 0, "a preset is name=transform, got '" + entry + "'");
                raw.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
            }
        }
        Map<String, TransformSpec> presets = new LinkedHashMap<>();
        raw.forEach((name, spec) -> {
            TransformSpec parsed = TransformSpec.parse(spec);
            require(parsed.preset() == null, "preset '" + name + "' may not refer to another preset");
            presets.put(name, parsed);
        });
        return presets;
    }

    /** {@code true} or {@code false}, nothing else: a typo must not silently mean "off". */
    public static boolean flag(String name, String value) {
        require(value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false"),
                name + " is true or false, got '" + value + "'");
        return Boolean.parseBoolean(value);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("configuration: " + message);
        }
    }
}
