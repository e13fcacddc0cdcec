package io.imagescaler.edge.gateway;

import io.imagescaler.handler.error.ImageScalerException;
import io.imagescaler.handler.images.ImageRecord;
import io.imagescaler.handler.images.ImageService;
import io.imagescaler.handler.storage.Originals;
import io.imagescaler.handler.transform.Limits;
import io.imagescaler.handler.transform.TransformEngine;
import io.imagescaler.spec.ImageId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether an image has an alpha channel, which {@code .auto} needs (PNG rather than JPEG for a viewer without
 * WebP). The handler knows it from the original's header; the local edge asks the same way, in-process: the
 * record first (a JPEG never has alpha, so most images cost one DynamoDB read), else the original through the
 * handler's {@link Originals} port and its header through the engine's {@code probe} (no pixel is decoded).
 * Originals above {@link #MAX_PROBED_BYTES} are taken as opaque rather than fetched whole. Answers are kept per
 * image id (ids are never reused, and an original's alpha never changes).
 * On AWS the CloudFront Function cannot reach S3; there a CloudFront KeyValueStore written at upload holds it
 * ({@code waf-rules/edge/auto-format.js}).
 */
public final class ImageAlpha {
    private static final int REMEMBERED = 10_000;
    static final long MAX_PROBED_BYTES = 32L * 1024 * 1024;

    private final ImageService images;
    private final Originals originals;
    private final TransformEngine engine;
    private final Limits limits;
    private final Map<String, Boolean> known = new ConcurrentHashMap<>();

    public ImageAlpha(ImageService images, Originals originals, TransformEngine engine, Limits limits) {
        this.images = images;
        this.originals = originals;
        this.engine = engine;
        this.limits = limits;
    }

    /** False for an unknown image or an unreadable original: the handler then answers for the concrete path. */
    public boolean of(String imageId) {
        Boolean cached = known.get(imageId);
        if (cached != null) {
            return cached;
        }
        if (!ImageId.isValid(imageId)) {
            return false;
        }
        boolean alpha;
        try {
            ImageRecord record = images.metadata(imageId);
            if (record.contentType().equals("image/jpeg") || record.bytes() > MAX_PROBED_BYTES) {
                alpha = false;
            } else {
                var original = originals.get(record.id());
                if (original.isEmpty()) {
                    return false;
                }
                alpha = engine.probe(original.get().bytes(), limits).hasAlpha();
            }
        } catch (ImageScalerException e) {
            return false;   // unknown, not servable or unreadable: the handler answers for the concrete path
        }
        if (known.size() >= REMEMBERED) {
            known.clear();
        }
        known.put(imageId, alpha);
        return alpha;
    }
}
