package io.imagescaler.handler.cdn.aws;

import io.imagescaler.handler.cdn.CdnInvalidator;
import io.imagescaler.spec.ImageId;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;

/** {@link CdnInvalidator} on CloudFront CreateInvalidation (one wildcard path per image). */
public final class CloudFrontInvalidator implements CdnInvalidator {
    private final CloudFrontClient cloudFront;
    private final String distributionId;

    public CloudFrontInvalidator(CloudFrontClient cloudFront, String distributionId) {
        this.cloudFront = cloudFront;
        this.distributionId = distributionId;
    }

    @Override
    public String invalidateImage(ImageId id) {
        try {
            return cloudFront.createInvalidation(b -> b.distributionId(distributionId)
                    .invalidationBatch(batch -> batch
                            // a fresh reference each time: a repeated re-moderation must invalidate again
                            .callerReference(id.value() + "-" + UUID.randomUUID())
                            .paths(p -> p.quantity(1).items(CdnInvalidator.pathsOf(id)))))
                    .invalidation().id();
        } catch (SdkException e) {
            throw io.imagescaler.handler.storage.aws.AwsFailures.upstream(
                    "the CloudFront invalidation (the variants are purged; retry to invalidate the cache)", e);
        }
    }
}
