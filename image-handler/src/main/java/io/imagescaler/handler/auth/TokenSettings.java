package io.imagescaler.handler.auth;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How bearer tokens are checked: the issuer and audience they must name, and where the issuer's
 * public keys are (a JWKS URL such as a Cognito user pool's, or a JWKS file for the local dev issuer).
 */
public record TokenSettings(String issuer, String audience, Optional<URI> jwksUrl, Optional<Path> jwksFile,
                            String adminGroup) {

    public TokenSettings {
        if (jwksUrl.isEmpty() == jwksFile.isEmpty()) {
            throw new IllegalArgumentException("configuration: set exactly one of JWKS_URL and JWKS_FILE");
        }
    }
}
