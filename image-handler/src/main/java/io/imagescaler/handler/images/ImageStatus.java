package io.imagescaler.handler.images;

/** Where an image is in its life; only READY and BLURRED images are servable. */
public enum ImageStatus {
    /**
     * A synchronous upload's provisional record: the id is reserved while the original is written.
     * Invisible to every reader (404) and never servable; it expires quickly, and the sweeper undoes
     * what an upload that died in this state left behind.
     */
    STORING,
    /** A large upload's record: the id is reserved and the original is being written; it expires unless it moves on. */
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

    /** Whether readers may see the record at all (metadata, delete, serving); STORING and DELETING are hidden. */
    public boolean visible() {
        return this != STORING && this != DELETING;
    }

    public boolean servable() {
        return this == READY || this == BLURRED;
    }
}
