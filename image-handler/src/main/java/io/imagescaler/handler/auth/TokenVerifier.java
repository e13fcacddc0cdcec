package io.imagescaler.handler.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.imagescaler.handler.error.ImageScalerException.Unauthorized;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies {@code Authorization: Bearer <JWT>} with nimbus-jose-jwt: RS256 only (so {@code alg: none}
 * and HMAC confusion are refused), a key from the issuer's JWKS, {@code iss} exact, {@code aud} (ID
 * tokens) or {@code client_id} (Cognito access tokens) equal to the configured audience, {@code exp}
 * and {@code nbf} with nimbus' default 60 s clock skew, and a {@code sub}.
 */
public final class TokenVerifier {
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final TokenSettings settings;

    public TokenVerifier(TokenSettings settings) {
        this.settings = settings;
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys(settings)));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(), Set.of("sub", "exp")) {
            @Override
            public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
                super.verify(claims, context);
                List<String> audience = claims.getAudience();
                Object clientId = claims.getClaim("client_id");
                if (!audience.contains(settings.audience()) && !settings.audience().equals(clientId)) {
                    throw new BadJWTException("the token is for another audience");
                }
            }
        });
    }

    /** The caller's identity, or 401 saying what is wrong with the token. */
    public Identity verify(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new Unauthorized("send Authorization: Bearer <token> (a JWT from the configured issuer)");
        }
        try {
            JWTClaimsSet claims = processor.process(authorization.substring(7).trim(), null);
            Set<String> groups = new HashSet<>();
            for (String claim : List.of("cognito:groups", "groups")) {
                List<String> values = claims.getStringListClaim(claim);
                if (values != null) {
                    groups.addAll(values);
                }
            }
            return new Identity(claims.getSubject(), groups);
        } catch (ParseException e) {
            throw new Unauthorized("the bearer token is not a well-formed JWT");
        } catch (BadJWTException e) {
            throw new Unauthorized("the bearer token was refused: " + e.getMessage());
        } catch (com.nimbusds.jose.proc.BadJOSEException e) {
            throw new Unauthorized("the bearer token was refused: " + e.getMessage());
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new Unauthorized("the bearer token could not be verified");
        }
    }

    public String adminGroup() {
        return settings.adminGroup();
    }

    private static JWKSource<SecurityContext> keys(TokenSettings settings) {
        if (settings.jwksFile().isPresent()) {
            try {
                return new ImmutableJWKSet<>(JWKSet.load(settings.jwksFile().get().toFile()));
            } catch (IOException | ParseException e) {
                throw new UncheckedIOException(new IOException("cannot read JWKS " + settings.jwksFile().get(), e));
            }
        }
        try {
            return JWKSourceBuilder.<SecurityContext>create(settings.jwksUrl().get().toURL()).build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("configuration: JWKS_URL is not a URL", e);
        }
    }
}
