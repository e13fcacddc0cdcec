package io.imagescaler.handler.storage;

import io.imagescaler.spec.ImageId;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Large uploads in flight: the {@code incoming/{id}} prefix of the originals bucket, written by the
 * client straight to S3 as a multipart upload through presigned part URLs.
 */
public interface Incoming {

    /** One uploaded part as the client reports it on completion. */
    record Part(int number, String etag) {
    }

    /** Where a processed upload goes. */
    enum Destination { ORIGINALS, QUARANTINE }

    /** Starts the multipart upload of {@code incoming/{id}}; returns its upload id. */
    String begin(ImageId id, String contentType);

    /** Presigned PUT URLs for parts 1..{@code parts}. */
    List<URI> partUrls(ImageId id, String uploadId, int parts, Duration lifetime);

    /**
     * Completes the multipart upload.
     *
     * @throws io.imagescaler.handler.error.ImageScalerException.InvalidRequest S3 refused the part list
     *         (unknown part, wrong ETag, a part below the minimum size)
     */
    void complete(ImageId id, String uploadId, List<Part> parts);

    /** Size in bytes of the completed object, empty when there is none. */
    Optional<Long> size(ImageId id);

    byte[] read(ImageId id);

    /** Moves the completed object to {@code originals/{id}} or {@code quarantine/{id}} (copy, then delete). */
    void moveTo(ImageId id, Destination destination);

    void delete(ImageId id);
}
