package io.imagescaler.edge.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.net.URI;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local server speaking Rekognition's JSON protocol ({@code POST /}, {@code X-Amz-Target:
 * RekognitionService.DetectModerationLabels}, {@code application/x-amz-json-1.1}) for the one
 * operation the handler uses, so the real SDK client runs end to end. Like Rekognition it takes inline
 * JPEG or PNG bytes up to 5 MB and drops labels below {@code MinConfidence} (default 50). Its labels come
 * from {@link ModerationRules}: it is NOT a classifier.
 */
public final class LocalRekognition implements AutoCloseable {
    static final String TARGET = "RekognitionService.DetectModerationLabels";
    static final String MEDIA_TYPE = "application/x-amz-json-1.1";
    private static final long MAX_BYTES = 5L * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Javalin app;
    private final ModerationRules rules;
    private final String accessKey;
    private final AtomicLong requests = new AtomicLong();

    private LocalRekognition(ModerationRules rules, String accessKey) {
        this.rules = rules;
        this.accessKey = accessKey;
        this.app = Javalin.create(config -> {
            config.jetty.host = "127.0.0.1";
            config.jetty.port = 0;
            config.http.maxRequestSize = 8L * 1024 * 1024;
            config.startup.showJavalinBanner = false;
            config.routes.post("/", this::answer);
        });
    }

    /** @param accessKey the static access key the SDK must sign with (the local credentials) */
    public static LocalRekognition start(ModerationRules rules, String accessKey) {
        LocalRekognition server = new LocalRekognition(rules, accessKey);
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
        ModerationRules.Answer answer = rules.answerFor(sha256(bytes));
        ObjectNode body = JSON.createObjectNode();
        var labels = body.putArray("ModerationLabels");
        for (ModerationRules.Label l : answer.labels()) {
            if (l.confidence() >= minConfidence) {
                labels.addObject().put("Confidence", l.confidence()).put("Name", l.name())
                        .put("ParentName", l.parentName()).put("TaxonomyLevel", l.taxonomyLevel());
            }
        }
        body.put("ModerationModelVersion", answer.modelVersion());
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
