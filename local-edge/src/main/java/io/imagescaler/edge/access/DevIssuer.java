package io.imagescaler.edge.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * The local stand-in for a Cognito user pool: an RSA key created once under the data directory, its
 * public JWKS (what the handler verifies against, through {@code JWKS_FILE}), and tokens for a user and
 * an admin written next to it, so {@code curl -H "Authorization: Bearer $(cat data/dev-issuer/user.jwt)"}
 * works. Tokens are re-issued at every start (they live 30 days).
 */
public final class DevIssuer {
    public static final String ISSUER = "https://image-scaler.local/dev-issuer";
    public static final String AUDIENCE = "image-scaler-local";
    public static final String USER = "dev-user";
    public static final String ADMIN = "dev-admin";
    private static final Duration LIFETIME = Duration.ofDays(30);

    private final RSAKey key;
    private final Path dir;

    private DevIssuer(RSAKey key, Path dir) {
        this.key = key;
        this.dir = dir;
    }

    public static DevIssuer openOrCreate(Path dataDir) throws IOException {
        Path dir = Files.createDirectories(dataDir.resolve("dev-issuer"));
        Path privateKey = dir.resolve("private-key.jwk.json");
        RSAKey key;
        try {
            if (Files.exists(privateKey)) {
                key = RSAKey.parse(Files.readString(privateKey));
            } else {
                key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).algorithm(JWSAlgorithm.RS256).generate();
                Files.writeString(privateKey, key.toJSONString());
            }
        } catch (ParseException | JOSEException e) {
            throw new IOException("cannot read or create the dev issuer key in " + dir, e);
        }
        DevIssuer issuer = new DevIssuer(key, dir);
        Files.writeString(issuer.jwksFile(), new JWKSet(key.toPublicJWK()).toString());
        Files.writeString(dir.resolve("user.jwt"), issuer.token(USER, List.of(), Instant.now(), LIFETIME));
        Files.writeString(dir.resolve("admin.jwt"), issuer.token(ADMIN, List.of("admins"), Instant.now(), LIFETIME));
        return issuer;
    }

    public Path jwksFile() {
        return dir.resolve("jwks.json");
    }

    public Path tokenFile(String who) {
        return dir.resolve(who.equals(ADMIN) ? "admin.jwt" : "user.jwt");
    }

    /** The {@code Authorization} value a client of the local edge sends as {@code who}: its token file's token. */
    public String bearer(String who) throws IOException {
        return "Bearer " + Files.readString(tokenFile(who)).strip();
    }

    /** A token for {@code subject} in {@code groups}, valid from {@code issuedAt} for {@code lifetime}. */
    public String token(String subject, List<String> groups, Instant issuedAt, Duration lifetime) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .issuer(ISSUER)
                    .audience(AUDIENCE)
                    .subject(subject)
                    .claim("cognito:groups", groups)
                    .issueTime(Date.from(issuedAt))
                    .notBeforeTime(Date.from(issuedAt))
                    .expirationTime(Date.from(issuedAt.plus(lifetime)))
                    .build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
