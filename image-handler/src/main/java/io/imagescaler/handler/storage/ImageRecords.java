package io.imagescaler.handler.storage;

import io.imagescaler.handler.images.ImageRecord;
import io.imagescaler.handler.images.ImageStatus;
import io.imagescaler.spec.ImageId;
import java.util.Optional;

/** The image records table. */
public interface ImageRecords {

    /**
     * Creates the record only if no record has this id.
     *
     * @return false if the id is taken (the caller draws a new one)
     */
    boolean createIfAbsent(ImageRecord record);

    Optional<ImageRecord> get(ImageId id);

    /**
     * Moves the record from {@code expected} to {@code next} status (clearing its expiry when it leaves
     * UPLOADING); false if the record is missing or in another status.
     */
    boolean transition(ImageId id, ImageStatus expected, ImageStatus next);

    void delete(ImageId id);
}
