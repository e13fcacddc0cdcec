package io.imagescaler.handler.moderation;

/**
 * A cheap local model that can vouch for an image before the paid moderation model is asked (see
 * {@link ScreenedModerator}). The implementation (nsfwjs's MobileNetV2 on ONNX Runtime) lives in the
 * optional {@code moderation-model} module and is found with {@link java.util.ServiceLoader}, so the
 * plain Lambda package carries neither the model nor ONNX Runtime.
 */
public interface ModerationScreen {

    /**
     * @param image JPEG or PNG bytes, as the moderation model would get them
     * @return the probability (0..1) that the image is safe for work
     * @throws RuntimeException the image could not be scored (the caller then asks the full model)
     */
    double safeProbability(byte[] image);

    /** Recorded on the verdict of an image the screen let through. */
    String modelVersion();
}
