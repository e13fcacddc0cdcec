package io.imagescaler.sr;

/**
 * Every failure an invocation reports to its caller: one sealed hierarchy, answered in one place
 * ({@link SrServer}) as an RFC 9457 {@code application/problem+json} document with a stable type
 * {@code https://image-scaler.dev/problems/<slug>} and a detail that names what was wrong.
 */
public abstract sealed class InvocationProblem extends RuntimeException {

    private InvocationProblem(String detail, Throwable cause) {
        super(detail, cause, false, false);
    }

    public abstract String slug();

    public abstract int status();

    public abstract String title();

    /** The request asked for something this endpoint does not do (scale, parameters). */
    public static final class InvalidRequest extends InvocationProblem {
        public InvalidRequest(String detail) { super(detail, null); }
        public String slug() { return "invalid-request"; }
        public int status() { return 400; }
        public String title() { return "Invalid request"; }
    }

    /** The body is not a PNG, JPEG or WebP image we can decode. */
    public static final class InvalidImage extends InvocationProblem {
        public InvalidImage(String detail, Throwable cause) { super(detail, cause); }
        public String slug() { return "invalid-image"; }
        public int status() { return 400; }
        public String title() { return "Invalid image"; }
    }

    /** Body bytes, input pixels or output pixels over the configured limit. */
    public static final class PayloadTooLarge extends InvocationProblem {
        public PayloadTooLarge(String detail) { super(detail, null); }
        public String slug() { return "payload-too-large"; }
        public int status() { return 413; }
        public String title() { return "Payload too large"; }
    }

    /** The models are still loading (or failed to): the caller should retry or fall back. */
    public static final class NotReady extends InvocationProblem {
        public NotReady(String detail) { super(detail, null); }
        public String slug() { return "model-not-ready"; }
        public int status() { return 503; }
        public String title() { return "Model not ready"; }
    }
}
