package io.imagescaler.handler.upscale.aws;

import io.imagescaler.handler.upscale.Upscaler;
import java.util.SortedSet;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/** The SR model behind a SageMaker real-time endpoint (InvokeEndpoint; the scale as a custom attribute). */
public final class SageMakerUpscaler implements Upscaler {
    private final SageMakerRuntimeClient client;
    private final String endpointName;
    private final SortedSet<Integer> scales;

    public SageMakerUpscaler(SageMakerRuntimeClient client, String endpointName, SortedSet<Integer> scales) {
        this.client = client;
        this.endpointName = endpointName;
        this.scales = scales;
    }

    @Override
    public SortedSet<Integer> scales() {
        return scales;
    }

    @Override
    public byte[] upscale(byte[] image, int scale) {
        try {
            return client.invokeEndpoint(r -> r.endpointName(endpointName).contentType("image/png").accept("image/png")
                    .customAttributes("scale=" + scale).body(SdkBytes.fromByteArray(image))).body().asByteArray();
        } catch (SdkException e) {
            throw new UpscaleFailed("SageMaker endpoint " + endpointName + " failed: " + e.getMessage(), e);
        }
    }
}
