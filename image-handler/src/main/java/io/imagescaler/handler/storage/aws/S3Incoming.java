package io.imagescaler.handler.storage.aws;

import io.imagescaler.handler.error.ImageScalerException.InvalidRequest;
import io.imagescaler.handler.error.ImageScalerException.UpstreamFailure;
import io.imagescaler.handler.storage.Incoming;
import io.imagescaler.spec.ImageId;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** {@link Incoming} on S3 multipart uploads under {@code incoming/{id}} in the originals bucket. */
public final class S3Incoming implements Incoming {
    static final String INCOMING = "incoming/";

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;

    public S3Incoming(S3Client s3, S3Presigner presigner, String bucket) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
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
                    .multipartUpload(m -> m.parts(completed)));
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
    public Optional<Long> size(ImageId id) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(INCOMING + id.value())).contentLength());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) return Optional.empty();
            throw e;
        }
    }

    @Override
    public byte[] read(ImageId id) {
        return s3.getObject(b -> b.bucket(bucket).key(INCOMING + id.value()), ResponseTransformer.toBytes())
                .asByteArray();
    }

    @Override
    public void moveTo(ImageId id, Destination destination) {
        String target = (destination == Destination.ORIGINALS ? S3Originals.ORIGINALS : S3Originals.QUARANTINE)
                + id.value();
        s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(INCOMING + id.value())
                .destinationBucket(bucket).destinationKey(target));
        s3.deleteObject(b -> b.bucket(bucket).key(INCOMING + id.value()));
    }

    @Override
    public void delete(ImageId id) {
        s3.deleteObject(b -> b.bucket(bucket).key(INCOMING + id.value()));
    }
}
