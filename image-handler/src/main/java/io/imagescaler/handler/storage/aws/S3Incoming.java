package io.imagescaler.handler.storage.aws;

import io.imagescaler.handler.error.ImageScalerException.InvalidRequest;
import io.imagescaler.handler.error.ImageScalerException.UpstreamFailure;
import io.imagescaler.handler.storage.Incoming;
import io.imagescaler.spec.ImageId;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * {@link Incoming} on S3 multipart uploads under {@code incoming/{id}} in the originals bucket. Moving a
 * processed upload is a server-side copy: CopyObject up to its 5 GB limit, a multipart copy
 * (UploadPartCopy of byte ranges) above it.
 */
public final class S3Incoming implements Incoming {
    static final String INCOMING = "incoming/";
    /** CopyObject's limit: larger objects must be copied part by part. */
    static final long MAX_SINGLE_COPY_BYTES = 5L * 1024 * 1024 * 1024;
    /** Part size of a multipart copy: 10,000 parts of 512 MiB cover S3's 5 TiB object limit. */
    static final long COPY_PART_BYTES = 512L * 1024 * 1024;
    /**
     * Server-side copies and the processing stream of a large upload run in the processing function
     * (15-min timeout), not in an API request: they get minutes, not the request budget of AwsClients.
     */
    private static final Duration LONG_CALL = Duration.ofMinutes(10);
    private static final java.util.function.Consumer<software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration.Builder>
            LONG = o -> o.apiCallTimeout(LONG_CALL).apiCallAttemptTimeout(LONG_CALL);
    /** Completing a multipart upload is in the request path, but S3 may take several seconds for many parts. */
    private static final java.util.function.Consumer<software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration.Builder>
            COMPLETE = o -> o.apiCallTimeout(Duration.ofSeconds(20)).apiCallAttemptTimeout(Duration.ofSeconds(20));

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final long maxSingleCopyBytes;
    private final long copyPartBytes;

    public S3Incoming(S3Client s3, S3Presigner presigner, String bucket) {
        this(s3, presigner, bucket, MAX_SINGLE_COPY_BYTES, COPY_PART_BYTES);
    }

    /** With other copy thresholds, so tests can exercise the multipart copy on small objects. */
    public S3Incoming(S3Client s3, S3Presigner presigner, String bucket, long maxSingleCopyBytes, long copyPartBytes) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
        this.maxSingleCopyBytes = maxSingleCopyBytes;
        this.copyPartBytes = copyPartBytes;
    }

    @Override
    public String begin(ImageId id, String contentType) {
        return s3.createMultipartUpload(b -> b.bucket(bucket).key(INCOMING + id.value()).contentType(contentType))
                .uploadId();
    }

    @Override
    public List<URI> partUrls(ImageId id, String uploadId, int parts, Duration lifetime) {
        List<URI> urls = new ArrayList<>(parts);
        for (int n = 1; n <= parts; n++) {
            int number = n;
            urls.add(URI.create(presigner.presignUploadPart(p -> p.signatureDuration(lifetime)
                    .uploadPartRequest(u -> u.bucket(bucket).key(INCOMING + id.value()).uploadId(uploadId)
                            .partNumber(number))).url().toString()));
        }
        return urls;
    }

    @Override
    public void complete(ImageId id, String uploadId, List<Part> parts) {
        List<CompletedPart> completed = parts.stream()
                .map(p -> CompletedPart.builder().partNumber(p.number()).eTag(p.etag()).build()).toList();
        try {
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(INCOMING + id.value()).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(completed)).overrideConfiguration(COMPLETE));
        } catch (S3Exception e) {
            if (e.statusCode() == 400 || e.statusCode() == 404) {
                String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
                throw new InvalidRequest("S3 refused the part list (" + code + "): every part must be uploaded, "
                        + "listed once in ascending order with the ETag its upload answered, and all but the "
                        + "last at least 5 MiB");
            }
            throw new UpstreamFailure("the upload could not be completed; try again", e);
        }
    }

    @Override
    public Optional<Uploaded> uploaded(ImageId id) {
        try {
            var head = s3.headObject(b -> b.bucket(bucket).key(INCOMING + id.value()));
            return Optional.of(new Uploaded(head.contentLength(), head.lastModified()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) return Optional.empty();
            throw e;
        }
    }

    @Override
    public InputStream open(ImageId id) {
        return s3.getObject(b -> b.bucket(bucket).key(INCOMING + id.value()).overrideConfiguration(LONG));
    }

    @Override
    public void copyTo(ImageId id, Destination destination, String contentType) {
        String source = INCOMING + id.value();
        String target = (destination == Destination.ORIGINALS ? S3Originals.ORIGINALS : S3Originals.QUARANTINE)
                + id.value();
        long size = s3.headObject(b -> b.bucket(bucket).key(source)).contentLength();
        if (size <= maxSingleCopyBytes) {
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(source).destinationBucket(bucket)
                    .destinationKey(target).metadataDirective(MetadataDirective.REPLACE).contentType(contentType)
                    .overrideConfiguration(LONG));
            return;
        }
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(target).contentType(contentType))
                .uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            for (long from = 0; from < size; from += copyPartBytes) {
                int number = parts.size() + 1;
                String range = "bytes=" + from + "-" + (Math.min(size, from + copyPartBytes) - 1);
                var copied = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(source).copySourceRange(range)
                        .destinationBucket(bucket).destinationKey(target).uploadId(uploadId).partNumber(number)
                        .overrideConfiguration(LONG));
                parts.add(CompletedPart.builder().partNumber(number).eTag(copied.copyPartResult().eTag()).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket).key(target).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)).overrideConfiguration(LONG));
        } catch (RuntimeException e) {
            abortQuietly(target, uploadId, e);
            throw e;
        }
    }

    private void abortQuietly(String key, String uploadId, RuntimeException cause) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
        } catch (RuntimeException e) {
            cause.addSuppressed(e);   // the bucket's lifecycle rule aborts it later anyway
        }
    }

    @Override
    public void delete(ImageId id) {
        s3.deleteObject(b -> b.bucket(bucket).key(INCOMING + id.value()));
    }

    @Override
    public void abort(ImageId id, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(INCOMING + id.value()).uploadId(uploadId));
        } catch (NoSuchUploadException e) {
            // already completed, aborted or expired by the lifecycle rule
        } catch (S3Exception e) {
            if (e.statusCode() != 404) throw e;
        }
    }
}
