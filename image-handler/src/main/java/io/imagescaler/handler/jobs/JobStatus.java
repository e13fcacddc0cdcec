package io.imagescaler.handler.jobs;

/**
 * Where a job is: {@code QUEUED -> PROCESSING -> PROCESSED -> DELIVERED}, or {@code FAILED} (the work could not
 * be done) / {@code NOT_DELIVERED} (done, but a recipient could not be told). A job without a recipient ends at
 * {@code PROCESSED}.
 */
public enum JobStatus {
    QUEUED, PROCESSING, PROCESSED, DELIVERED, FAILED, NOT_DELIVERED;

    /** Nothing more happens to a job in this status (for PROCESSED: when it has no recipient). */
    public boolean finalFor(boolean hasRecipient) {
        return switch (this) {
            case QUEUED, PROCESSING -> false;
            case PROCESSED -> !hasRecipient;
            case DELIVERED, FAILED, NOT_DELIVERED -> true;
        };
    }
}
