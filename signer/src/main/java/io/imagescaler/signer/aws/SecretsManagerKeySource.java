package io.imagescaler.signer.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.signer.PemKeys;
import io.imagescaler.signer.SigningKey;
import java.io.IOException;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Reads a CloudFront signing key from AWS Secrets Manager. The secret's string is either the PEM itself
 * (the key pair id is then given by the caller) or JSON {@code {"keyPairId": "K...", "privateKey": "-----BEGIN..."}},
 * which lets a rotation replace both at once.
 */
public final class SecretsManagerKeySource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SecretsManagerClient client;

    public SecretsManagerKeySource(SecretsManagerClient client) {
        this.client = client;
    }

    /** A client with nothing left to defaults: region, credentials, and (locally) the endpoint are explicit. */
    public static SecretsManagerClient client(Region region, AwsCredentialsProvider credentials, URI endpointOrNull) {
        var builder = SecretsManagerClient.builder().region(region).credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create());
        if (endpointOrNull != null) {
            builder.endpointOverride(endpointOrNull);
        }
        return builder.build();
    }

    /**
     * @param keyPairId used when the secret holds a bare PEM; ignored (may be {@code null}) when it holds JSON
     */
    public SigningKey signingKey(String secretId, String keyPairId) {
        String value = client.getSecretValue(r -> r.secretId(secretId)).secretString();
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("secret " + secretId + " has no string value");
        }
        String trimmed = value.strip();
        if (trimmed.startsWith("{")) {
            JsonNode json;
            try {
                json = JSON.readTree(trimmed);
            } catch (IOException e) {
                throw new IllegalArgumentException("secret " + secretId + " is neither PEM nor JSON");
            }
            String id = json.path("keyPairId").asText(null);
            String pem = json.path("privateKey").asText(null);
            if (id == null || pem == null) {
                throw new IllegalArgumentException("secret " + secretId + " JSON needs keyPairId and privateKey");
            }
            return new SigningKey(id, PemKeys.parsePrivateKey(pem));
        }
        if (keyPairId == null) {
            throw new IllegalArgumentException("secret " + secretId + " holds a bare PEM: give the key pair id");
        }
        return new SigningKey(keyPairId, PemKeys.parsePrivateKey(trimmed));
    }
}
