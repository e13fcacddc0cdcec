package io.imagescaler.handler.moderation;

/**
 * The moderation model (Rekognition DetectModerationLabels on AWS; the local edge's protocol server
 * locally). It only reports labels; what they mean for the image is {@link ModerationPolicy}'s call.
 */
public interface Moderator {

    /** Largest image the model takes inline (Rekognition: 5 MB of image bytes). */
    long MAX_IMAGE_BYTES = 5L * 1024 * 1024;

    /**
     * @param image         JPEG or PNG bytes, at most {@link #MAX_IMAGE_BYTES}
     * @param minConfidence labels below this confidence (0..100) are not reported
     * @throws io.imagescaler.handler.error.ImageScalerException.UpstreamFailure the model could not answer
     */
    Detected detect(byte[] image, double minConfidence);
}
