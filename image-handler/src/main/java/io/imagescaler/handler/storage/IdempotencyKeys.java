package io.imagescaler.handler.storage;

import io.imagescaler.spec.ImageId;
import java.time.Instant;
import java.util.Optional;

/**
 * Remembered {@code Idempotency-Key}s: which request (by hash) a key was first used for, and the image
 * it created once that request finished. Entries expire (24 h by default).
 */
public interface IdempotencyKeys {

    /** @param imageId empty while the first request is still running */
    record Entry(String requestHash, Optional<ImageId> imageId) {
    }

    /**
     * Records the key for this request if it is unused, expired, or claimed by a first request that never
     * finished and went stale (it died: a crash, a timeout); false if it is taken.
     *
     * @param staleAt when this claim, unless completed by then, may be taken over by a retry
     */
    boolean claim(String key, String requestHash, Instant expiresAt, Instant staleAt);

    /**
     * Takes over a key whose first request bound image {@code unfinished} but never finished it (that
     * request died), once its claim is stale; false if it is not stale, or anything else changed.
     */
    boolean reclaim(String key, String requestHash, Instant expiresAt, Instant staleAt, ImageId unfinished);

    /** The live entry of the key; expired entries are absent. */
    Optional<Entry> get(String key);

    /** The first request finished and created this image. */
    void complete(String key, ImageId id);

    /** The first request failed: the key may be used again. */
    void release(String key);
}
