package io.imagescaler.edge.gateway;

import io.imagescaler.spec.ImageId;
import io.imagescaler.spec.InvalidTransformException;
import io.imagescaler.spec.VariantPath;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The first origin of CloudFront's origin group for variant GETs: the generated bucket, read with the
 * canonical key {@code {id}/{canonical}.{fmt}}. A 403/404 (or a path that is not a variant)
 * means "fail over to the handler".
 */
public final class GeneratedBucketOrigin {
    private static final Pattern VARIANT = Pattern.compile("^/v1/images/([^/]+)/([^/]+\\.[a-z]+)$");

    private final S3Client s3;
    private final String bucket;

    public GeneratedBucketOrigin(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** The bucket key for a variant path (after the edge function), if the path is a variant with a valid spelling. */
    public static Optional<String> keyFor(String path) {
        Matcher m = VARIANT.matcher(path);
        if (!m.matches() || !ImageId.isValid(m.group(1))) {
            return Optional.empty();
        }
        try {
            VariantPath v = VariantPath.parse(m.group(2));
            // ".auto" too: what the edge function leaves for the origin is stored under that name (the baseline)
            return Optional.of(m.group(1) + "/" + v.canonical());
        } catch (InvalidTransformException e) {
            return Optional.empty();
        }
    }

    /**
     * The stored variant as a response, or empty on 403/404 (the origin group's failover statuses) and
     * when the bucket cannot be reached at all (CloudFront fails over on connection failures and
     * timeouts too); then the handler answers, 503 if it cannot reach S3 either. Another S3 error is
     * answered as CloudFront answers an origin error: 502.
     */
    public Optional<ProxyEvents.EdgeResponse> fetch(String key) {
        try {
            var got = s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toBytes());
            var r = got.response();
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", r.contentType());
            if (r.cacheControl() != null) headers.put("Cache-Control", r.cacheControl());
            headers.put("ETag", r.eTag());
            headers.put("X-Cache", "Hit from generated bucket");
            return Optional.of(new ProxyEvents.EdgeResponse(200, headers, got.asByteArray()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 403 || e.statusCode() == 404) {
                return Optional.empty();
            }
            return Optional.of(new ProxyEvents.EdgeResponse(502, Map.of("Content-Type", "text/html",
                    "X-Cache", "Error from cloudfront"), ("<HTML><BODY><H1>502 ERROR</H1>The origin answered "
                    + e.statusCode() + ".</BODY></HTML>").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
            return Optional.empty();
        }
    }
}
