package io.imagescaler.handler.cdn;

import io.imagescaler.spec.ImageId;

/**
 * The CDN in front of the API: after an image's variants were purged from the generated bucket, its
 * cached copies at the edge must go too (CloudFront on AWS).
 */
public interface CdnInvalidator {

    /**
     * Asks the CDN to drop every cached response under {@code /v1/images/{id}/*}.
     *
     * @return an identifier of the invalidation for logs and the admin's answer
     */
    String invalidateImage(ImageId id);

    static String pathsOf(ImageId id) {
        return "/v1/images/" + id.value() + "/*";
    }
}
