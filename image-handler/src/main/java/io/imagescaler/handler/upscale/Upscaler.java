package io.imagescaler.handler.upscale;

import java.util.SortedSet;

/**
 * The super-resolution endpoint (an ESRGAN-family model on a GPU): image bytes in, a PNG {@code scale}
 * times larger out. SageMaker on AWS, the sr-endpoint server on loopback locally.
 */
public interface Upscaler {

    /** The scales the endpoint's models offer, e.g. {2, 4}. */
    SortedSet<Integer> scales();

    /**
     * @throws UpscaleFailed the endpoint failed, refused, or did not answer in time
     */
    byte[] upscale(byte[] image, int scale);

    /** Why an upscale did not happen; the caller falls back to Lanczos. */
    final class UpscaleFailed extends RuntimeException {
        public UpscaleFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
