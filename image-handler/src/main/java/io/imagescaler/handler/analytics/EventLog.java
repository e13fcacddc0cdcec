package io.imagescaler.handler.analytics;

import java.util.List;

/**
 * Where usage events are kept: Amazon Data Firehose into the S3 lake on AWS, the same partitioned
 * JSON-lines files under the local edge's data folder. Called from {@link UsageEvents}' background
 * writer only, never on a request's path.
 */
public interface EventLog {

    /**
     * Writes a batch (at most {@link #MAX_BATCH} events).
     *
     * @return how many of them could not be written (0 = all kept)
     * @throws RuntimeException when the whole batch failed
     */
    int write(List<UsageEvent> batch);

    /** Firehose's PutRecordBatch limit. */
    int MAX_BATCH = 500;

    /** No lake: events are dropped (tests of other parts, or a deployment without analytics). */
    EventLog NONE = batch -> 0;
}
