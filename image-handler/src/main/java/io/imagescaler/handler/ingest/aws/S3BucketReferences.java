package io.imagescaler.handler.ingest.aws;

import io.imagescaler.handler.error.ImageScalerException.Forbidden;
import io.imagescaler.handler.error.ImageScalerException.PayloadTooLarge;
import io.imagescaler.handler.error.ImageScalerException.UpstreamFailure;
import io.imagescaler.handler.ingest.BucketReferences;
import java.io.IOException;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@link BucketReferences} on S3: one GetObject, its length checked before the body is read, the body read
 * at most one byte past the limit. A missing object is empty, a refused one (403) Forbidden: both are the
 * message's fault. Other SDK failures pass up (wired behind {@code AwsFailures.guarded}: 503, retried).
 */
public final class S3BucketReferences implements BucketReferences {
    private final S3Client s3;

    public S3BucketReferences(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public Optional<byte[]> read(String bucket, String key, long maxBytes) {
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            Long length = in.response().contentLength();
            if (length != null && length > maxBytes) {
                in.abort();
                throw new PayloadTooLarge("s3://" + bucket + "/" + key + " is " + length
                        + " bytes; references take at most " + maxBytes + " bytes");
            }
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                in.abort();
                throw new PayloadTooLarge("s3://" + bucket + "/" + key + " is larger than " + maxBytes + " bytes");
            }
            return Optional.of(bytes);
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 403) {
                throw new Forbidden("the service may not read s3://" + bucket + "/" + key + " (access denied)");
            }
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        } catch (IOException e) {
            throw new UpstreamFailure("s3://" + bucket + "/" + key + " could not be read", e);
        }
    }
}
