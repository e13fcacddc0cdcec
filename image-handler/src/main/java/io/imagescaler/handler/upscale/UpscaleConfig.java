package io.imagescaler.handler.upscale;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Where the super-resolution endpoint is: {@code SR_ENDPOINT_NAME} (a SageMaker endpoint) on AWS,
 * {@code SR_ENDPOINT_URL} (the sr-endpoint server) locally; {@code SR_SCALES} (default 2,4),
 * {@code SR_TIMEOUT_MS} (default 20000), {@code SR_MAX_INPUT_PIXELS} (default 4 MP; larger sources are
 * upscaled with Lanczos, which they hardly need). Neither set: {@code up_sr} is served with Lanczos.
 */
public record UpscaleConfig(Optional<String> endpointName, Optional<URI> endpointUrl, SortedSet<Integer> scales,
                            Duration timeout, long maxInputPixels) {

    public static UpscaleConfig fromEnvironment(Function<String, String> env) {
        Function<String, Optional<String>> get = k -> Optional.ofNullable(env.apply(k)).filter(v -> !v.isBlank());
        SortedSet<Integer> scales = new TreeSet<>();
        for (String s : get.apply("SR_SCALES").orElse("2,4").split(",")) {
            scales.add(Integer.parseInt(s.trim()));
        }
        return new UpscaleConfig(get.apply("SR_ENDPOINT_NAME"), get.apply("SR_ENDPOINT_URL").map(URI::create),
                scales, Duration.ofMillis(get.apply("SR_TIMEOUT_MS").map(Long::parseLong).orElse(20_000L)),
                get.apply("SR_MAX_INPUT_PIXELS").map(Long::parseLong).orElse(4_000_000L));
    }

    public boolean configured() {
        return endpointName.isPresent() || endpointUrl.isPresent();
    }
}
