package io.imagescaler.handler.storage.aws;

import io.imagescaler.handler.storage.Originals;
import io.imagescaler.handler.storage.StoredObject;
import io.imagescaler.spec.ImageId;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** {@link Originals} on S3: {@code originals/{id}} and {@code quarantine/{id}} in the originals bucket. */
public final class S3Originals implements Originals {
    static final String ORIGINALS = "originals/";
    static final String QUARANTINE = "quarantine/";

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;

    public S3Originals(S3Client s3, S3Presigner presigner, String bucket) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
    }

    @Override
    public void put(ImageId id, byte[] bytes, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(ORIGINALS + id.value()).contentType(contentType),
                RequestBody.fromBytes(bytes));
    }

    @Override
    public Optional<StoredObject> get(ImageId id) {
        return read(ORIGINALS + id.value());
    }

    @Override
    public void putQuarantine(ImageId id, byte[] bytes, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(QUARANTINE + id.value()).contentType(contentType),
                RequestBody.fromBytes(bytes));
    }

    @Override
    public Optional<StoredObject> getQuarantine(ImageId id) {
        return read(QUARANTINE + id.value());
    }

    @Override
    public void deleteQuarantine(ImageId id) {
        s3.deleteObject(b -> b.bucket(bucket).key(QUARANTINE + id.value()));
    }

    @Override
    public void deleteMaster(ImageId id) {
        s3.deleteObject(b -> b.bucket(bucket).key(ORIGINALS + id.value()));
    }

    private Optional<StoredObject> read(String key) {
        try {
            var response = s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toBytes());
            var r = response.response();
            return Optional.of(new StoredObject(response.asByteArray(), r.contentType(), r.cacheControl(), r.eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            throw AwsFailures.upstream("the originals store (S3)", e);
        }
    }

    @Override
    public void delete(ImageId id) {
        s3.deleteObject(b -> b.bucket(bucket).key(ORIGINALS + id.value()));
        s3.deleteObject(b -> b.bucket(bucket).key(QUARANTINE + id.value()));
    }

    @Override
    public URI temporaryUrl(ImageId id, Duration lifetime) {
        return URI.create(presigner.presignGetObject(p -> p.signatureDuration(lifetime)
                .getObjectRequest(g -> g.bucket(bucket).key(ORIGINALS + id.value()))).url().toString());
    }
}
