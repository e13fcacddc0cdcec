package io.imagescaler.edge.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagescaler.moderation.model.ClassScores;
import io.imagescaler.moderation.model.ModelInput;
import io.imagescaler.moderation.model.NsfwModel;
import io.imagescaler.moderation.model.RekognitionTaxonomy;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.net.URI;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local server speaking Rekognition's JSON protocol ({@code POST /}, {@code X-Amz-Target:
 * RekognitionService.DetectModerationLabels}, {@code application/x-amz-json-1.1}) for the one
 * operation the handler uses, so the real SDK client runs end to end. Like Rekognition it takes inline
 * JPEG or PNG bytes up to 5 MB, answers {@code InvalidImageFormatException} for bytes it cannot decode,
 * and drops labels below {@code MinConfidence} (default 50, 0..100).
 *
 * <p>Its labels come from a real classifier, nsfwjs's MobileNetV2 ({@link NsfwModel}), put into
 * Rekognition's taxonomy by {@link RekognitionTaxonomy}; {@code ModerationModelVersion} names that model.
 * A {@link ModerationRules} file keyed by the bytes' sha256 overrides the model for tests that need a
 * fixed verdict (e.g. a flagged image, since no explicit image is kept in the repository).
 */
public final class LocalRekognition implements AutoCloseable {
    static final String TARGET = "RekognitionService.DetectModerationLabels";
    static final String MEDIA_TYPE = "application/x-amz-json-1.1";
    private static final long MAX_BYTES = 5L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(LocalRekognition.class);

    private final Javalin app;
    private final ModerationRules rules;
    private final NsfwModel model;
    private final String accessKey;
    private final AtomicLong requests = new AtomicLong();

    private LocalRekognition(ModerationRules rules, NsfwModel model, String accessKey) {
        this.rules = rules;
        this.model = model;
        this.accessKey = accessKey;
        this.app = Javalin.create(config -> {
            config.jetty.host = "127.0.0.1";
            config.jetty.port = 0;
            config.http.maxRequestSize = 8L * 1024 * 1024;
            config.startup.showJavalinBanner = false;
            config.routes.post("/", this::answer);
        });
    }

    /**
     * @param model     the classifier (the caller owns it and closes it after this server)
     * @param accessKey the static access key the SDK must sign with (the local credentials)
     */
    public static LocalRekognition start(ModerationRules rules, NsfwModel model, String accessKey) {
        LocalRekognition server = new LocalRekognition(rules, model, accessKey);
        server.app.start();
        return server;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + app.port());
    }

    /** How many DetectModerationLabels calls were answered (errors included). */
    public long requests() {
        return requests.get();
    }

    public ModerationRules rules() {
        return rules;
    }

    private void answer(Context ctx) throws Exception {
        requests.incrementAndGet();
        String target = ctx.header("X-Amz-Target");
        if (!TARGET.equals(target)) {
            error(ctx, 400, "UnknownOperationException", "this local server answers only " + TARGET);
            return;
        }
        String auth = ctx.header("Authorization");
        if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256") || !auth.contains("Credential=" + accessKey + "/")) {
            error(ctx, 400, "UnrecognizedClientException", "requests must be SigV4-signed with the local access key");
            return;
        }
        JsonNode request = JSON.readTree(ctx.bodyAsBytes());
        JsonNode image = request.path("Image");
        if (!image.has("Bytes")) {
            error(ctx, 400, "InvalidParameterException", "the local server takes Image.Bytes only (no S3Object)");
            return;
        }
        byte[] bytes = Base64.getDecoder().decode(image.get("Bytes").asText());
        if (bytes.length > MAX_BYTES) {
            error(ctx, 400, "ImageTooLargeException", "image bytes exceed 5 MB");
            return;
        }
        if (!isJpeg(bytes) && !isPng(bytes)) {
            error(ctx, 400, "InvalidImageFormatException", "request has unsupported image format");
            return;
        }
        double minConfidence = request.path("MinConfidence").asDouble(50);
        if (!(minConfidence >= 0 && minConfidence <= 100)) {
            error(ctx, 400, "InvalidParameterException", "MinConfidence must be between 0 and 100");
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        var labels = body.putArray("ModerationLabels");
        Optional<ModerationRules.Answer> override = rules.answerFor(sha256(bytes));
        if (override.isPresent()) {
            for (ModerationRules.Label l : override.get().labels()) {
                if (l.confidence() >= minConfidence) {
                    labels.addObject().put("Confidence", l.confidence()).put("Name", l.name())
                            .put("ParentName", l.parentName()).put("TaxonomyLevel", l.taxonomyLevel());
                }
            }
            body.put("ModerationModelVersion", override.get().modelVersion());
        } else {
            ClassScores scores;
            try {
                scores = model.classify(bytes);
            } catch (ModelInput.UnreadableImage e) {
                error(ctx, 400, "InvalidImageFormatException", "request has invalid image format");
                return;
            }
            RekognitionTaxonomy.Answer answer = RekognitionTaxonomy.answer(scores, minConfidence);
            for (RekognitionTaxonomy.Label l : answer.labels()) {
                labels.addObject().put("Confidence", (float) l.confidence()).put("Name", l.name())
                        .put("ParentName", l.parentName()).put("TaxonomyLevel", l.taxonomyLevel());
            }
            body.put("ModerationModelVersion", model.version());
            var types = body.putArray("ContentTypes");
            for (RekognitionTaxonomy.ContentType t : answer.contentTypes()) {
                types.addObject().put("Confidence", (float) t.confidence()).put("Name", t.name());
            }
            LOG.debug("moderation {}: {}", scores, answer);
        }
        ctx.status(200).contentType(MEDIA_TYPE).result(body.toString());
    }

    private static void error(Context ctx, int status, String type, String message) {
        ObjectNode body = JSON.createObjectNode().put("__type", type).put("message", message);
        ctx.status(status).contentType(MEDIA_TYPE).header("x-amzn-ErrorType", type).result(body.toString());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isJpeg(byte[] b) {
        return b.length > 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF;
    }

    private static boolean isPng(byte[] b) {
        return b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }

    @Override
    public void close() {
        app.stop();
    }
}
