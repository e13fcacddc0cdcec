package io.imagescaler.handler.jobs;

import java.util.Optional;
import java.util.Set;

/** The job records (the image table, one item per job). */
public interface Jobs {

    /** Creates the record only if no job has this id; false when the id is taken. */
    boolean create(Job job);

    Optional<Job> get(String id);

    /**
     * Replaces the record with {@code next} only if its stored status is one of {@code expected}: every move of
     * a job is one conditional write, so two workers holding the same message cannot both finish it.
     *
     * @return false when the record is missing or in another status
     */
    boolean replace(Job next, Set<JobStatus> expected);

    /**
     * Every job still PROCESSING whose last move was before {@code updatedBefore} (the sweep's work list). Reads the
     * whole table: it runs a few times an hour, off the request path.
     */
    java.util.List<Job> processingSince(java.time.Instant updatedBefore);

    /** Removes a record whose job was never queued (the queue refused it). */
    void delete(String id);
}
