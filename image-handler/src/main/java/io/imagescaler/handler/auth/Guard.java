package io.imagescaler.handler.auth;

import io.imagescaler.handler.api.HttpRequest;
import io.imagescaler.handler.error.ImageScalerException.Forbidden;
import java.util.Optional;

/**
 * Who may do what, in one place: every request must come through the CDN; uploads need an identity
 * (when an issuer is configured); deleting and reading an image's record need its owner or an admin.
 */
public final class Guard {
    public static final String ANONYMOUS = "anonymous";

    private final Optional<OriginVerification> origin;
    private final Optional<TokenVerifier> tokens;

    public Guard(Optional<OriginVerification> origin, Optional<TokenVerifier> tokens) {
        this.origin = origin;
        this.tokens = tokens;
    }

    /** No checks at all: unit tests of routing only. */
    public static Guard open() {
        return new Guard(Optional.empty(), Optional.empty());
    }

    public void checkOrigin(HttpRequest request) {
        origin.ifPresent(o -> o.check(request));
    }

    /** The uploader's subject; anonymous when no issuer is configured. */
    public String uploader(HttpRequest request) {
        return tokens.map(t -> t.verify(request.header("Authorization").orElse(null)).subject()).orElse(ANONYMOUS);
    }

    /** Passes for the owner or an admin (or anyone when no issuer is configured). */
    public void requireOwner(HttpRequest request, String owner) {
        if (tokens.isEmpty()) {
            return;
        }
        TokenVerifier t = tokens.get();
        Identity caller = t.verify(request.header("Authorization").orElse(null));
        if (!caller.subject().equals(owner) && !caller.inGroup(t.adminGroup())) {
            throw new Forbidden("only the image's owner (or an admin) may do this");
        }
    }

    /** Passes for members of the admin group (or anyone when no issuer is configured). */
    public void requireAdmin(HttpRequest request) {
        if (tokens.isEmpty()) {
            return;
        }
        TokenVerifier t = tokens.get();
        if (!t.verify(request.header("Authorization").orElse(null)).inGroup(t.adminGroup())) {
            throw new Forbidden("this needs the " + t.adminGroup() + " group");
        }
    }
}
