package io.imagescaler.handler.images;

import io.imagescaler.handler.transform.StageTimings;
import java.net.URI;

/** What the service hands back for a GET: bytes to send, or a place to send the client instead. */
public sealed interface Served {

    /**
     * @param cacheHit true when the bytes came from the generated bucket rather than a fresh render
     * @param headers  extra response headers (e.g. {@code X-Upscale})
     */
    record Bytes(byte[] bytes, String contentType, String etag, String cacheControl, boolean cacheHit,
                 StageTimings timings, java.util.Map<String, String> headers) implements Served {

        public Bytes {
            headers = java.util.Map.copyOf(headers);
        }

        public Bytes(byte[] bytes, String contentType, String etag, String cacheControl, boolean cacheHit,
                     StageTimings timings) {
            this(bytes, contentType, etag, cacheControl, cacheHit, timings, java.util.Map.of());
        }
    }

    /**
     * The result is stored but too large for a Lambda response: the client asks again and the edge
     * (CloudFront's origin group, or the local edge) serves it from the generated bucket.
     */
    record AskAgain(StageTimings timings) implements Served {
    }

    /** The client fetches the bytes from {@code location} (a short-lived URL). */
    record Elsewhere(URI location) implements Served {
    }
}
