package io.imagescaler.handler.auth;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * The access settings, read once with the rest of the configuration (README table):
 * {@code ORIGIN_VERIFY_SECRET} / {@code ORIGIN_VERIFY_PREVIOUS} (local) or {@code ORIGIN_VERIFY_SECRET_ARN}
 * (Secrets Manager on AWS); {@code JWT_ISSUER}, {@code JWT_AUDIENCE}, {@code JWKS_URL} or {@code JWKS_FILE},
 * {@code ADMIN_GROUP}. Without an origin secret the check is off (said loudly at start); without an issuer
 * uploads are anonymous.
 */
public record AuthConfig(Optional<OriginSecrets> originSecrets, Optional<String> originSecretArn,
                         Optional<TokenSettings> tokens) {

    public static final AuthConfig OPEN = new AuthConfig(Optional.empty(), Optional.empty(), Optional.empty());

    public static AuthConfig fromEnvironment(Function<String, String> env) {
        Function<String, Optional<String>> get = k -> Optional.ofNullable(env.apply(k)).filter(v -> !v.isBlank());
        Optional<OriginSecrets> secrets = get.apply("ORIGIN_VERIFY_SECRET")
                .map(current -> new OriginSecrets(current, get.apply("ORIGIN_VERIFY_PREVIOUS").orElse(null)));
        Optional<TokenSettings> tokens = get.apply("JWT_ISSUER").map(issuer -> new TokenSettings(issuer,
                get.apply("JWT_AUDIENCE").orElseThrow(() -> new IllegalArgumentException(
                        "configuration: JWT_AUDIENCE must be set with JWT_ISSUER")),
                get.apply("JWKS_URL").map(URI::create),
                get.apply("JWKS_FILE").map(Path::of),
                get.apply("ADMIN_GROUP").orElse("admins")));
        return new AuthConfig(secrets, get.apply("ORIGIN_VERIFY_SECRET_ARN"), tokens);
    }
}
