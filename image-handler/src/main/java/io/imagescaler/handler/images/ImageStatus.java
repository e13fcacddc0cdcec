package io.imagescaler.handler.images;

/** Where an image is in its life; only READY and BLURRED images are servable. */
public enum ImageStatus {
    /** The record is reserved and the original is being written; it expires unless it moves on. */
    UPLOADING,
    /** The original is stored and is being checked (large uploads, moderation). */
    PROCESSING,
    READY,
    /** Moderation flagged it: the served master is a blurred copy. */
    BLURRED,
    REJECTED,
    FAILED,
    /** Deletion has started: nothing is served or generated any more. */
    DELETING;

    public boolean servable() {
        return this == READY || this == BLURRED;
    }
}
