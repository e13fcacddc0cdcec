package io.imagescaler.handler.analytics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where usage events go and where reports come from, read once from the environment.
 *
 * @param eventStream   the Firehose delivery stream ({@code EVENTS_STREAM}); AWS
 * @param lakeDir       the local lake folder ({@code LAKE_DIR}); the local edge sets it to {@code data/lake}
 * @param athena        the Athena workgroup and Glue database the reports query ({@code ATHENA_WORKGROUP},
 *                      {@code ATHENA_DATABASE}); AWS
 * @param flushInterval how often the buffered events are written ({@code EVENTS_FLUSH_MS}, default 1000)
 */
public record AnalyticsConfig(Optional<String> eventStream, Optional<Path> lakeDir, Optional<Athena> athena,
                              Duration flushInterval) {

    /**
     * @param timeout how long a report waits for Athena ({@code ATHENA_TIMEOUT_SECONDS}, default 20: under
     *                API Gateway's 29 s)
     */
    public record Athena(String workgroup, String database, Duration timeout) {
    }

    public static AnalyticsConfig fromEnvironment(Function<String, String> env) {
        Function<String, Optional<String>> get = k -> Optional.ofNullable(env.apply(k)).filter(v -> !v.isBlank());
        Optional<String> stream = get.apply("EVENTS_STREAM");
        Optional<Path> lake = get.apply("LAKE_DIR").map(Path::of);
        if (stream.isPresent() && lake.isPresent()) {
            throw new IllegalArgumentException("set EVENTS_STREAM (AWS) or LAKE_DIR (local), not both");
        }
        Optional<Athena> athena = get.apply("ATHENA_WORKGROUP").map(wg -> new Athena(wg,
                get.apply("ATHENA_DATABASE").orElseThrow(() -> new IllegalArgumentException(
                        "ATHENA_DATABASE must be set with ATHENA_WORKGROUP")),
                Duration.ofSeconds(get.apply("ATHENA_TIMEOUT_SECONDS").map(Long::parseLong).orElse(20L))));
        Duration flush = Duration.ofMillis(get.apply("EVENTS_FLUSH_MS").map(Long::parseLong).orElse(1000L));
        if (flush.toMillis() < 10 || flush.toMinutes() > 5) {
            throw new IllegalArgumentException("EVENTS_FLUSH_MS must be from 10 to 300000, got " + flush.toMillis());
        }
        return new AnalyticsConfig(stream, lake, athena, flush);
    }

    public static AnalyticsConfig off() {
        return new AnalyticsConfig(Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(1));
    }
}
