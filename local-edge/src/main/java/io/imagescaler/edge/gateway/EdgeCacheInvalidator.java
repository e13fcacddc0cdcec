package io.imagescaler.edge.gateway;

import io.imagescaler.handler.cdn.CdnInvalidator;
import io.imagescaler.spec.ImageId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The local edge's side of {@link CdnInvalidator}. The local edge keeps no cache of its own: its only
 * cache is the generated bucket, which the handler has already purged when it asks for an invalidation.
 * So there is nothing to drop; the requested paths are kept so that tests and the operator can see an
 * invalidation was asked for, as CloudFront would have been.
 */
public final class EdgeCacheInvalidator implements CdnInvalidator {
    private final List<String> requested = new CopyOnWriteArrayList<>();

    @Override
    public String invalidateImage(ImageId id) {
        requested.add(CdnInvalidator.pathsOf(id));
        return "local-" + requested.size() + " (local edge: no cache beyond the generated bucket)";
    }

    /** Every path pattern asked for, in order. */
    public List<String> requested() {
        return List.copyOf(requested);
    }
}
