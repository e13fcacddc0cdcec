package io.imagescaler.handler.storage;

import io.imagescaler.spec.ImageId;
import java.util.Optional;

/** The generated bucket: variants under {@code {id}/{canonical-transform}.{fmt}}. */
public interface Variants {

    Optional<StoredObject> get(String key);

    void put(String key, byte[] bytes, String contentType, String cacheControl);

    /**
     * Stores the object only if the key is free (S3's conditional write, {@code If-None-Match: *}), so
     * concurrent writers of one variant in different instances agree on the first one stored.
     *
     * @return false when another writer stored the key first (its object stays)
     */
    boolean putIfAbsent(String key, byte[] bytes, String contentType, String cacheControl);

    /** Deletes every variant of the image; returns how many objects were removed. */
    int deleteAll(ImageId id);
}
