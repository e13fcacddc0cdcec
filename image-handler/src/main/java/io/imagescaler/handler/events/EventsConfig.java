package io.imagescaler.handler.events;

import java.net.URI;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where outcomes are published, read once from the environment.
 *
 * @param busName  the EventBridge bus ({@code EVENT_BUS_NAME}; the CDK app's {@code image-scaler-events});
 *                 empty = events are not published
 * @param endpoint a local EventBridge endpoint ({@code EVENTS_ENDPOINT}, e.g. moto's server); empty on AWS
 */
public record EventsConfig(Optional<String> busName, Optional<URI> endpoint) {

    public static EventsConfig fromEnvironment(Function<String, String> env) {
        Function<String, Optional<String>> get = k -> Optional.ofNullable(env.apply(k)).filter(v -> !v.isBlank());
        Optional<String> bus = get.apply("EVENT_BUS_NAME");
        Optional<URI> endpoint = get.apply("EVENTS_ENDPOINT").map(URI::create);
        // A local setup (S3_ENDPOINT) never falls back to AWS: a bus without a local endpoint is refused.
        if (bus.isPresent() && endpoint.isEmpty() && get.apply("S3_ENDPOINT").isPresent()) {
            throw new IllegalArgumentException("configuration: EVENTS_ENDPOINT must be set with EVENT_BUS_NAME "
                    + "when the other services are local (S3_ENDPOINT)");
        }
        return new EventsConfig(bus, endpoint);
    }

    public static EventsConfig off() {
        return new EventsConfig(Optional.empty(), Optional.empty());
    }

    @Override
    public String toString() {
        return busName.map(b -> "bus " + b + endpoint.map(e -> " at " + e).orElse("")).orElse("off");
    }
}
