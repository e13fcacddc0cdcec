package io.imagescaler.spec;

/** A transform segment (or one of its tokens) that is not part of the language; maps to HTTP 400. */
public final class InvalidTransformException extends IllegalArgumentException {
    private final String token;

    public InvalidTransformException(String token, String message) {
        super(message);
        this.token = token;
    }

    /** The offending token as the client sent it (may be the whole segment). */
    public String token() {
        return token;
    }
}
