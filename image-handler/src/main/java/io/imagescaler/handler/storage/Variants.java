package io.imagescaler.handler.storage;

import io.imagescaler.spec.ImageId;
import java.util.Optional;

/** The generated bucket: variants under {@code {id}/{canonical-transform}.{fmt}}. */
public interface Variants {

    Optional<StoredObject> get(String key);

    void put(String key, byte[] bytes, String contentType, String cacheControl);

    /** Deletes every variant of the image; returns how many objects were removed. */
    int deleteAll(ImageId id);
}
