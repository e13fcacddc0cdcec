package io.imagescaler.handler.storage;

import io.imagescaler.spec.ImageId;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/** Where originals (the served masters) live: the {@code originals/} prefix of the originals bucket. */
public interface Originals {

    void put(ImageId id, byte[] bytes, String contentType);

    Optional<StoredObject> get(ImageId id);

    /** Removes the original (and any quarantine copy); absent objects are not an error. */
    void delete(ImageId id);

    /** Removes only the served master ({@code originals/{id}}), e.g. when moderation rejects the image. */
    void deleteMaster(ImageId id);

    /**
     * Keeps the unblurred original of a flagged image under {@code quarantine/{id}} (short lifecycle).
     * Invariant kept by the callers: when a quarantine copy exists, it is the unblurred original.
     */
    void putQuarantine(ImageId id, byte[] bytes, String contentType);

    Optional<StoredObject> getQuarantine(ImageId id);

    void deleteQuarantine(ImageId id);

    /** A short-lived URL a client can fetch the original from directly (for originals too big to relay). */
    URI temporaryUrl(ImageId id, Duration lifetime);
}
