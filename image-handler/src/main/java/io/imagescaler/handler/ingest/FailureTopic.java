package io.imagescaler.handler.ingest;

/**
 * Where refused messages go (the Kafka topic {@code KAFKA_FAILURE_TOPIC}, {@code image-uploads-failed} by
 * default): the refused message's key and headers, with a JSON value saying why.
 */
public interface FailureTopic {

    /**
     * Writes one failure message and waits until the cluster acknowledged it.
     *
     * @param refused the message that was refused (its key, headers and cluster are reused)
     * @param value   the failure document ({@code {"reason","type","status","topic","partition","offset","owner"}})
     * @throws io.imagescaler.handler.error.ImageScalerException.UpstreamFailure the cluster did not take it
     */
    void publish(KafkaIngestion.Message refused, byte[] value);
}
