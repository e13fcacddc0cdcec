package io.imagescaler.handler.ingest;

import java.util.Optional;

/** Reads an image a message refers to in S3 ({@code {"s3":{"bucket":"..","key":".."}}}). */
public interface BucketReferences {

    /**
     * @param bucket   a bucket the configuration allows (the caller checked)
     * @param maxBytes the largest image taken
     * @return the object's bytes; empty when there is no such object
     * @throws io.imagescaler.handler.error.ImageScalerException.PayloadTooLarge the object is larger
     * @throws io.imagescaler.handler.error.ImageScalerException.Forbidden the service may not read it
     */
    Optional<byte[]> read(String bucket, String key, long maxBytes);
}
