package io.imagescaler.handler.storage.aws;

import io.imagescaler.handler.storage.StoredObject;
import io.imagescaler.handler.storage.Variants;
import io.imagescaler.spec.ImageId;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@link Variants} on S3: the generated bucket, keyed {@code {id}/{canonical}.{fmt}}. */
public final class S3Variants implements Variants {
    private final S3Client s3;
    private final String bucket;

    public S3Variants(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public Optional<StoredObject> get(String key) {
        try {
            var response = s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toBytes());
            var r = response.response();
            return Optional.of(new StoredObject(response.asByteArray(), r.contentType(), r.cacheControl(), r.eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            throw AwsFailures.upstream("the generated-variants store (S3)", e);
        }
    }

    @Override
    public void put(String key, byte[] bytes, String contentType, String cacheControl) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).cacheControl(cacheControl),
                RequestBody.fromBytes(bytes));
    }

    @Override
    public boolean putIfAbsent(String key, byte[] bytes, String contentType, String cacheControl) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).cacheControl(cacheControl)
                    .ifNoneMatch("*"), RequestBody.fromBytes(bytes));
            return true;
        } catch (S3Exception e) {
            // 412: the key exists; 409 ConditionalRequestConflict: a concurrent conditional write is in flight
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public int deleteAll(ImageId id) {
        int deleted = 0;
        for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(id.value() + "/"))) {
            List<ObjectIdentifier> keys = page.contents().stream().map(S3Object::key)
                    .map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            if (!keys.isEmpty()) {
                s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(keys).quiet(true)));
                deleted += keys.size();
            }
        }
        return deleted;
    }
}
