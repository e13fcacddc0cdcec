package io.imagescaler.handler.cdn;

import io.imagescaler.spec.ImageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For a deployment without a CDN distribution configured ({@code CLOUDFRONT_DISTRIBUTION_ID} unset):
 * there is no edge cache to invalidate, which is said in the log and in the answer, not hidden.
 */
public final class NoCdnCache implements CdnInvalidator {
    private static final Logger LOG = LoggerFactory.getLogger(NoCdnCache.class);

    @Override
    public String invalidateImage(ImageId id) {
        LOG.warn("no CDN distribution configured: nothing to invalidate for {}", CdnInvalidator.pathsOf(id));
        return "none (no CDN distribution configured)";
    }
}
