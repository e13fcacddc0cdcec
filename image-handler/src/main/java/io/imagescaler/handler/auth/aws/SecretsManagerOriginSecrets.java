package io.imagescaler.handler.auth.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.handler.auth.OriginSecretSource;
import io.imagescaler.handler.auth.OriginSecrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The origin secrets from a Secrets Manager secret holding {@code {"current": "...", "previous": "..."}}
 * (what the rotation function writes), cached for a short time so a rotation is seen within a minute
 * without a call per request.
 */
public final class SecretsManagerOriginSecrets implements OriginSecretSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecretsManagerClient client;
    private final String secretId;
    private final Duration ttl;
    private final Clock clock;
    private OriginSecrets cached;
    private Instant fetchedAt = Instant.MIN;

    public SecretsManagerOriginSecrets(SecretsManagerClient client, String secretId, Duration ttl, Clock clock) {
        this.client = client;
        this.secretId = secretId;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public synchronized OriginSecrets secrets() {
        Instant now = clock.instant();
        if (cached == null || now.isAfter(fetchedAt.plus(ttl))) {
            String value = client.getSecretValue(r -> r.secretId(secretId)).secretString();
            cached = parse(value);
            fetchedAt = now;
        }
        return cached;
    }

    static OriginSecrets parse(String value) {
        try {
            JsonNode json = JSON.readTree(value);
            return new OriginSecrets(json.path("current").asText(null), json.path("previous").asText(null));
        } catch (IOException e) {
            throw new UncheckedIOException("the origin secret is not the expected JSON", e);
        }
    }
}
