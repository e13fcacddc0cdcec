package io.imagescaler.signer.aws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.imagescaler.signer.PemKeys;
import io.imagescaler.signer.SigningKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The adapter through the real SDK client against a loopback server that speaks Secrets Manager's wire
 * protocol (AWS JSON 1.1, {@code X-Amz-Target: secretsmanager.GetSecretValue}); there is no local Secrets
 * Manager to run.
 */
class SecretsManagerKeySourceTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final KeyPair PAIR = PemKeys.generateRsa2048();

    HttpServer server;
    SecretsManagerClient client;
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    final Map<String, String> secrets = Map.of(
            "cf/pem", PemKeys.privateKeyPem(PAIR.getPrivate()),
            "cf/json", JSON.createObjectNode().put("keyPairId", "K2JCJMDEHXQW5F")
                    .put("privateKey", PemKeys.privateKeyPem(PAIR.getPrivate())).toString(),
            "cf/garbage", "not a key");

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            String id = body.path("SecretId").asText();
            byte[] answer;
            int status;
            if (!"secretsmanager.GetSecretValue".equals(target)) {
                status = 400;
                answer = "{\"__type\":\"InvalidRequestException\",\"message\":\"unexpected target\"}".getBytes(StandardCharsets.UTF_8);
            } else if (!secrets.containsKey(id)) {
                status = 400;
                answer = ("{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets Manager can't find the"
                        + " specified secret.\"}").getBytes(StandardCharsets.UTF_8);
            } else {
                status = 200;
                answer = JSON.writeValueAsBytes(Map.of("ARN", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:" + id,
                        "Name", id, "SecretString", secrets.get(id), "VersionId", "v1",
                        "VersionStages", List.of("AWSCURRENT"), "CreatedDate", 1.7639e9));
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        client = SecretsManagerKeySource.client(Region.EU_WEST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCALTEST", "secret")),
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    @Test
    void barePemNeedsTheKeyPairIdFromTheCaller() {
        SigningKey key = new SecretsManagerKeySource(client).signingKey("cf/pem", "KPEMID");
        assertEquals("KPEMID", key.keyPairId());
        assertArrayEquals(PAIR.getPrivate().getEncoded(), key.privateKey().getEncoded());
        assertThrows(IllegalArgumentException.class, () -> new SecretsManagerKeySource(client).signingKey("cf/pem", null));
        assertTrue(authorizations.getFirst().startsWith("AWS4-HMAC-SHA256 Credential=AKIDLOCALTEST/"),
                "requests are SigV4-signed with the explicit credentials");
    }

    @Test
    void jsonSecretCarriesItsKeyPairId() {
        SigningKey key = new SecretsManagerKeySource(client).signingKey("cf/json", null);
        assertEquals("K2JCJMDEHXQW5F", key.keyPairId());
        assertArrayEquals(PAIR.getPrivate().getEncoded(), key.privateKey().getEncoded());
    }

    @Test
    void missingAndUnreadableSecrets() {
        assertThrows(ResourceNotFoundException.class, () -> new SecretsManagerKeySource(client).signingKey("cf/none", "K"));
        assertThrows(IllegalArgumentException.class, () -> new SecretsManagerKeySource(client).signingKey("cf/garbage", "K"));
    }
}
