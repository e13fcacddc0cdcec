package io.imagescaler.handler.storage;

import io.imagescaler.handler.images.ImageRecord;
import io.imagescaler.handler.images.ImageStatus;
import io.imagescaler.handler.moderation.ModerationVerdict;
import io.imagescaler.spec.ImageId;
import java.time.Instant;
import java.util.List;
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

    /**
     * Moves the record from {@code expected} to {@code next} and stores the moderation verdict (null: keep
     * what is stored, e.g. a large upload that failed before moderation) and the reason for the status
     * (null when none), clearing any expiry; false if the record is missing or in
     * another status.
     */
    boolean finish(ImageId id, ImageStatus expected, ImageStatus next, ModerationVerdict verdict, String reason);

    /**
     * Fills in what only the bytes can tell (a large upload's record is created before they arrive):
     * the real media type, dimensions, frames, size and sha256.
     */
    void describe(ImageId id, String contentType, int width, int height, int frames, long bytes, String sha256);

    void delete(ImageId id);

    /** An image whose upload has not ended, as the sweeper sees it. */
    record Unfinished(ImageId id, ImageStatus status, Instant createdAt, Optional<Instant> expiresAt) {
    }

    /**
     * Every image still STORING, UPLOADING or PROCESSING, expired provisional records included (the sweeper's
     * work list). Reads the whole table: it runs a few times an hour, off the request path.
     */
    List<Unfinished> unfinished();
}
