package io.imagescaler.handler.moderation.aws;

import io.imagescaler.handler.moderation.Detected;
import io.imagescaler.handler.moderation.ModerationLabel;
import io.imagescaler.handler.moderation.Moderator;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rekognition.RekognitionClient;
import software.amazon.awssdk.services.rekognition.model.DetectModerationLabelsResponse;

/** {@link Moderator} on Rekognition DetectModerationLabels, with the image bytes inline. */
public final class RekognitionModerator implements Moderator {
    private final RekognitionClient rekognition;

    public RekognitionModerator(RekognitionClient rekognition) {
        this.rekognition = rekognition;
    }

    @Override
    public Detected detect(byte[] image, double minConfidence) {
        DetectModerationLabelsResponse response;
        try {
            response = rekognition.detectModerationLabels(b -> b
                    .image(i -> i.bytes(SdkBytes.fromByteArray(image)))
                    .minConfidence((float) minConfidence));
        } catch (SdkException e) {
            throw io.imagescaler.handler.storage.aws.AwsFailures.upstream("the moderation service (Rekognition)", e);
        }
        return new Detected(response.moderationLabels().stream()
                .map(l -> new ModerationLabel(l.name(), l.parentName(), l.confidence()))
                .toList(), response.moderationModelVersion());
    }
}
