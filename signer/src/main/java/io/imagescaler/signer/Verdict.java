package io.imagescaler.signer;

/**
 * What the verifier decided about one request, with the reason in words for logs and the CLI, and the
 * 403 body CloudFront would send.
 *
 * @param keyPairId the key the request named, or {@code null} when it named none
 * @param source where the signature came from ({@code QUERY}, {@code COOKIE}) or {@code NONE}
 */
public record Verdict(Outcome outcome, String reason, String keyPairId, Source source) {

    public enum Source { QUERY, COOKIE, NONE }

    /** Every way a request is refused. Codes and messages follow CloudFront's XML error bodies. */
    public enum Outcome {
        ALLOWED(null, null),
        MISSING("MissingKey", "Missing Key-Pair-Id query parameter or cookie value"),
        MALFORMED("MalformedPolicy", "Malformed Policy"),
        UNKNOWN_KEY("InvalidKey", "Unknown Key"),
        TAMPERED("AccessDenied", "Access denied"),
        RESOURCE_MISMATCH("AccessDenied", "Access denied"),
        EXPIRED("AccessDenied", "Access denied"),
        NOT_YET_VALID("AccessDenied", "Access denied"),
        IP_NOT_ALLOWED("AccessDenied", "Access denied");

        private final String code;
        private final String message;

        Outcome(String code, String message) {
            this.code = code;
            this.message = message;
        }

        public String code() {
            return code;
        }

        public String message() {
            return message;
        }
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOWED;
    }

    /** HTTP status CloudFront answers with. */
    public int status() {
        return allowed() ? 200 : 403;
    }

    /**
     * The body of CloudFront's refusal ({@code Content-Type: text/xml}); CloudFront does not tell the viewer
     * why beyond the code, so the detailed {@link #reason()} belongs in logs only.
     */
    public String errorXml() {
        if (allowed()) {
            throw new IllegalStateException("an allowed request has no error body");
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + outcome.code() + "</Code><Message>"
                + outcome.message() + "</Message></Error>";
    }

    static Verdict allow(String reason, String keyPairId, Source source) {
        return new Verdict(Outcome.ALLOWED, reason, keyPairId, source);
    }

    static Verdict refuse(Outcome outcome, String reason, String keyPairId, Source source) {
        return new Verdict(outcome, reason, keyPairId, source);
    }
}
