package io.imagescaler.handler.transform;

import io.imagescaler.handler.error.ImageScalerException.InvalidRequest;
import io.imagescaler.spec.ImageFormat;

/**
 * Encodes the pixels, which are sRGB by now (what a browser assumes of an untagged image), with no
 * EXIF, XMP, IPTC or GPS. Default quality: 80 for JPEG and WebP, 50 for AVIF (sharp's defaults;
 * AVIF's scale is not JPEG's: q50 AVIF looks like q80 JPEG at about half the bytes).
 */
final class Encode implements Step {
    static final int DEFAULT_QUALITY = 80;
    static final int DEFAULT_AVIF_QUALITY = 50;

    static int quality(RenderJob job) {
        if (job.spec.quality() > 0) {
            return job.spec.quality();
        }
        return job.format == ImageFormat.AVIF ? DEFAULT_AVIF_QUALITY : DEFAULT_QUALITY;
    }

    @Override
    public String stage() {
        return "encode";
    }

    @Override
    public void apply(RenderJob job) {
        job.encoded = job.canvas.encode(job.format, quality(job));
    }

    /** Refuses, before any decoding, a format this backend cannot write. */
    static void checkAvailable(Backend backend, ImageFormat format) {
        if (!backend.encodes().contains(format)) {
            throw new InvalidRequest("output format " + format.extension() + " is not available from the "
                    + backend.name() + " serving now: ask for " + String.join(", ",
                    backend.encodes().stream().map(ImageFormat::extension).sorted().toList()));
        }
    }
}
