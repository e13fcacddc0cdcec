package io.imagescaler.handler.images;

import io.imagescaler.handler.moderation.ModerationVerdict;
import io.imagescaler.spec.ImageId;
import java.time.Instant;
import java.util.Optional;

/**
 * The durable description of one uploaded image (one DynamoDB item).
 *
 * @param contentType the real media type, decided from magic bytes
 * @param expiresAt   set while the record is provisional (UPLOADING): the table's TTL removes records
 *                    whose upload never finished, so a crash leaves no half record behind for long
 * @param moderation  the stored moderation verdict (labels, model version, action); empty until checked
 * @param statusReason why the image is in its status, when that needs saying (BLURRED, REJECTED, FAILED)
 */
public record ImageRecord(
        ImageId id,
        String owner,
        ImageStatus status,
        String contentType,
        int width,
        int height,
        int frames,
        long bytes,
        String sha256,
        Instant createdAt,
        Optional<Instant> expiresAt,
        Optional<ModerationVerdict> moderation,
        Optional<String> statusReason) {

    public ImageRecord withStatus(ImageStatus next) {
        return new ImageRecord(id, owner, next, contentType, width, height, frames, bytes, sha256, createdAt,
                next == ImageStatus.UPLOADING ? expiresAt : Optional.empty(), moderation, statusReason);
    }

    /** The record as {@link io.imagescaler.handler.storage.ImageRecords#finish} leaves it. */
    public ImageRecord finished(ImageStatus next, ModerationVerdict verdict, String reason) {
        return new ImageRecord(id, owner, next, contentType, width, height, frames, bytes, sha256, createdAt,
                Optional.empty(), Optional.of(verdict), Optional.ofNullable(reason));
    }
}
