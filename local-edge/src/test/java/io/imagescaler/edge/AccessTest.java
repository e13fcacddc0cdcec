package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.imagescaler.edge.access.DevIssuer;
import io.imagescaler.handler.api.HttpRequest;
import io.imagescaler.handler.api.HttpResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Upload identity (JWT against the dev issuer's JWKS) and origin verification, over HTTP and directly. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessTest {
    Path data;
    LocalEdge edge;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        data = Files.createTempDirectory("access-test");
        edge = LocalEdge.start(0, data, Map.of("ORIGIN_VERIFY_PREVIOUS", "the-previous-secret"));
    }

    @AfterAll
    void stop() {
        edge.close();
    }

    private java.net.http.HttpResponse<String> upload(String authorization) throws Exception {
        var b = java.net.http.HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(Fixtures.image("png-tiny-16x16.png")));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private String token(String subject, List<String> groups) {
        return "Bearer " + edge.issuer().token(subject, groups, Instant.now(), Duration.ofMinutes(5));
    }

    @Test
    void uploadsNeedAValidToken() throws Exception {
        assertRefused(upload(null), "Authorization: Bearer");
        assertRefused(upload("Basic dXNlcjpwYXNz"), "Bearer");
        assertRefused(upload("Bearer not.a.jwt"), "well-formed");
        assertRefused(upload("Bearer " + edge.issuer().token("u", List.of(), Instant.now().minus(Duration.ofHours(2)),
                Duration.ofHours(1))), "xpired");
        assertRefused(upload("Bearer " + edge.issuer().token("u", List.of(), Instant.now().plus(Duration.ofHours(1)),
                Duration.ofHours(1))), "refused");
        // alg none: an unsigned token with the right claims.
        assertRefused(upload("Bearer " + new PlainJWT(claims(DevIssuer.ISSUER, DevIssuer.AUDIENCE)).serialize()), "refused");
        // A well-formed RS256 token signed by someone else's key, and ones for another issuer / audience.
        assertRefused(upload("Bearer " + signedByStranger(claims(DevIssuer.ISSUER, DevIssuer.AUDIENCE))), "refused");
        assertRefused(upload("Bearer " + signedByStranger(claims("https://evil.example", DevIssuer.AUDIENCE))), "refused");
        var created = upload(token("alice", List.of()));
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(created.body().contains("\"owner\":\"alice\""), created.body());
    }

    @Test
    void onlyTheOwnerOrAnAdminReadsTheRecordOrDeletes() throws Exception {
        var created = upload(token("bob", List.of()));
        String id = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        String meta = edge.baseUrl() + "/v1/images/" + id + "/metadata";
        assertEquals(403, get(meta, token("mallory", List.of())).statusCode());
        assertEquals(200, get(meta, token("bob", List.of())).statusCode());
        assertEquals(200, get(meta, token("root", List.of("admins"))).statusCode());
        var delete = java.net.http.HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images/" + id)).DELETE();
        assertEquals(403, http.send(delete.header("Authorization", token("mallory", List.of())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
        var adminDelete = java.net.http.HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images/" + id)).DELETE()
                .header("Authorization", token("root", List.of("admins"))).build();
        assertEquals(204, http.send(adminDelete, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void theHandlerRefusesRequestsThatDidNotComeThroughTheEdge() throws Exception {
        String secret = Files.readString(data.resolve("origin-verify.secret")).trim();
        assertEquals(403, direct(null).status(), "no header");
        assertEquals(403, direct("forged-" + secret).status(), "forged header");
        assertEquals(403, direct(secret.substring(1)).status(), "truncated header");
        assertEquals(404, direct(secret).status(), "current secret passes (then 404: no such image)");
        assertEquals(404, direct("the-previous-secret").status(), "previous secret passes during rotation");
        // A viewer cannot smuggle its own value through the edge: the edge replaces it.
        var viaEdge = get(edge.baseUrl() + "/v1/images/" + "A".repeat(43) + "/metadata", token("bob", List.of()),
                "X-Origin-Verify", "forged");
        assertEquals(404, viaEdge.statusCode());
    }

    private HttpResponse direct(String originHeader) {
        Map<String, String> headers = originHeader == null ? Map.of() : Map.of("X-Origin-Verify", originHeader);
        return edge.wiring().router().handle(new HttpRequest("GET", "/v1/images/" + "A".repeat(43) + "/w_10.png", "",
                headers, Map.of(), new byte[0]));
    }

    private java.net.http.HttpResponse<String> get(String url, String authorization, String... headers) throws Exception {
        var b = java.net.http.HttpRequest.newBuilder(URI.create(url)).header("Authorization", authorization).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(java.net.http.HttpResponse<String> r, String detail) {
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        assertTrue(r.body().contains(detail), r.body());
    }

    private static JWTClaimsSet claims(String issuer, String audience) {
        return new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject("eve")
                .expirationTime(Date.from(Instant.now().plusSeconds(300))).build();
    }

    private static String signedByStranger(JWTClaimsSet claims) throws Exception {
        var key = new RSAKeyGenerator(2048).keyID("stranger").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("stranger").build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
