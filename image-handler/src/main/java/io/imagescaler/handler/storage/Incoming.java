package io.imagescaler.handler.storage;

import io.imagescaler.spec.ImageId;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
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

    /** A completed upload: its size and when its multipart upload was completed. */
    record Uploaded(long bytes, Instant completedAt) {
    }

    /** The completed object, empty when there is none (not completed yet, or already moved). */
    Optional<Uploaded> uploaded(ImageId id);

    /** The completed object as a stream, read once from the start (the caller closes it). */
    InputStream open(ImageId id);

    /**
     * Copies the completed object to {@code originals/{id}} or {@code quarantine/{id}} inside the store
     * (no bytes pass through the caller, whatever the size), with the given Content-Type. The incoming
     * object stays until {@link #delete}, so a copy interrupted half-way can simply be redone.
     */
    void copyTo(ImageId id, Destination destination, String contentType);

    void delete(ImageId id);

    /** Abandons an open multipart upload (its parts are discarded); an unknown upload is not an error. */
    void abort(ImageId id, String uploadId);
}
