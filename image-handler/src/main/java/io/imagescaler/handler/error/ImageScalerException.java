package io.imagescaler.handler.error;

/**
 * Every failure the service reports to a client: one sealed hierarchy, mapped to HTTP (and an RFC 9457
 * problem document with a stable {@code type}) in one place, {@code api.Problems}. Messages are written
 * for the client: they name what was wrong and never carry a stack trace or an internal path.
 */
public abstract sealed class ImageScalerException extends RuntimeException {

    private ImageScalerException(String detail, Throwable cause) {
        super(detail, cause, false, false);
    }

    /** Stable slug; the problem {@code type} is {@code https://image-scaler.dev/problems/<slug>}. */
    public abstract String slug();

    /** HTTP status the problem is answered with. */
    public abstract int status();

    /** Short, human title shared by every instance of the kind. */
    public abstract String title();

    /** The request itself is malformed: bad path, unknown transform key, out-of-range value. */
    public static final class InvalidRequest extends ImageScalerException {
        public InvalidRequest(String detail) { super(detail, null); }
        public String slug() { return "invalid-request"; }
        public int status() { return 400; }
        public String title() { return "Invalid request"; }
    }

    /** The path exists but not for this method. */
    public static final class MethodNotAllowed extends ImageScalerException {
        private final String allow;
        public MethodNotAllowed(String detail) { this(detail, ""); }
        /** @param allow the methods the path does take, as the {@code Allow} header lists them */
        public MethodNotAllowed(String detail, String allow) { super(detail, null); this.allow = allow; }
        public String allow() { return allow; }
        public String slug() { return "method-not-allowed"; }
        public int status() { return 405; }
        public String title() { return "Method not allowed"; }
    }

    /** No or bad identity (missing/expired/forged bearer token). */
    public static final class Unauthorized extends ImageScalerException {
        public Unauthorized(String detail) { super(detail, null); }
        public String slug() { return "unauthorized"; }
        public int status() { return 401; }
        public String title() { return "Unauthorized"; }
    }

    /** Known identity, or origin check, that may not do this. */
    public static final class Forbidden extends ImageScalerException {
        public Forbidden(String detail) { super(detail, null); }
        public String slug() { return "forbidden"; }
        public int status() { return 403; }
        public String title() { return "Forbidden"; }
    }

    public static final class NotFound extends ImageScalerException {
        public NotFound(String detail) { super(detail, null); }
        public String slug() { return "not-found"; }
        public int status() { return 404; }
        public String title() { return "Not found"; }
    }

    /** The image exists but is not in a state that allows this (e.g. not servable yet). */
    public static final class Conflict extends ImageScalerException {
        public Conflict(String detail) { super(detail, null); }
        public String slug() { return "conflict"; }
        public int status() { return 409; }
        public String title() { return "Conflict"; }
    }

    /** The request body is larger than the endpoint accepts. */
    public static final class PayloadTooLarge extends ImageScalerException {
        public PayloadTooLarge(String detail) { super(detail, null); }
        public String slug() { return "payload-too-large"; }
        public int status() { return 413; }
        public String title() { return "Payload too large"; }
    }

    /** The bytes are not an image type we accept (decided from magic bytes, never from headers). */
    public static final class UnsupportedImage extends ImageScalerException {
        public UnsupportedImage(String detail) { super(detail, null); }
        public String slug() { return "unsupported-image"; }
        public int status() { return 415; }
        public String title() { return "Unsupported image type"; }
    }

    /** The header says an image we accept, but it is truncated or corrupt. */
    public static final class CorruptImage extends ImageScalerException {
        public CorruptImage(String detail, Throwable cause) { super(detail, cause); }
        public String slug() { return "corrupt-image"; }
        public int status() { return 422; }
        public String title() { return "Corrupt image"; }
    }

    /** Dimensions, pixels, frames or output size above the configured limits (checked before decoding). */
    public static final class LimitExceeded extends ImageScalerException {
        private final int status;
        /** The image (its pixels, frames, size) is above a limit: 422. */
        public LimitExceeded(String detail) { this(detail, 422); }
        private LimitExceeded(String detail, int status) { super(detail, null); this.status = status; }
        /** The request asks for more work than one render may cost (output pixels, effects): 400. */
        public static LimitExceeded byRequest(String detail) { return new LimitExceeded(detail, 400); }
        public String slug() { return "limit-exceeded"; }
        public int status() { return status; }
        public String title() { return "Image exceeds limits"; }
    }

    /** An {@code Idempotency-Key} was used before with a different request body. */
    public static final class IdempotencyKeyReused extends ImageScalerException {
        public IdempotencyKeyReused(String detail) { super(detail, null); }
        public String slug() { return "idempotency-key-reused"; }
        public int status() { return 422; }
        public String title() { return "Idempotency key reused with a different request"; }
    }

    /** Every render slot and queue place of this instance is taken; retrying shortly may succeed. */
    public static final class Overloaded extends ImageScalerException {
        public Overloaded(String detail) { super(detail, null); }
        public String slug() { return "overloaded"; }
        public int status() { return 503; }
        public String title() { return "Too busy to render now"; }
        @Override public java.util.OptionalInt retryAfterSeconds() { return java.util.OptionalInt.of(1); }
    }

    /**
     * Seconds a client should wait before retrying (answered as {@code Retry-After}); empty when a
     * retry cannot help.
     */
    public java.util.OptionalInt retryAfterSeconds() {
        return java.util.OptionalInt.empty();
    }

    /** A dependency (S3, DynamoDB, Rekognition, SR endpoint) failed; retrying may help. */
    public static final class UpstreamFailure extends ImageScalerException {
        /** Long enough for the SDK's own backoff to reset; short enough that a person's retry is not idle. */
        public static final int RETRY_AFTER_SECONDS = 2;
        public UpstreamFailure(String detail, Throwable cause) { super(detail, cause); }
        @Override public java.util.OptionalInt retryAfterSeconds() { return java.util.OptionalInt.of(RETRY_AFTER_SECONDS); }
        public String slug() { return "upstream-failure"; }
        public int status() { return 503; }
        public String title() { return "Service temporarily unavailable"; }
    }
}
