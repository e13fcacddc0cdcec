package io.imagescaler.waf;

import java.util.Optional;

/** The part of a request a statement inspects (WAFv2 {@code FieldToMatch}), limited to what the local edge has. */
sealed interface FieldToMatch {
    /** The field's text, or empty when the request lacks it (a missing header or argument never matches). */
    Optional<String> text(WafRequest request);

    record SingleHeader(String name) implements FieldToMatch {
        public Optional<String> text(WafRequest r) {
            return r.header(name);
        }
    }

    record UriPath() implements FieldToMatch {
        public Optional<String> text(WafRequest r) {
            return Optional.of(r.uriPath());
        }
    }

    record QueryString() implements FieldToMatch {
        public Optional<String> text(WafRequest r) {
            return Optional.of(r.rawQuery());
        }
    }

    record Method() implements FieldToMatch {
        public Optional<String> text(WafRequest r) {
            return Optional.of(r.method());
        }
    }

    record SingleQueryArgument(String name) implements FieldToMatch {
        public Optional<String> text(WafRequest r) {
            return r.queryArgument(name);
        }
    }

    /**
     * Only its size is known locally. WAF inspects at most {@code inspectionLimit} bytes of a body (8 KiB by
     * default for API Gateway, 16 KiB for CloudFront); beyond that, {@code oversizeHandling} decides.
     */
    record Body(String oversizeHandling) implements FieldToMatch {
        public Optional<String> text(WafRequest r) {
            throw new UnsupportedOperationException("the local edge does not inspect body content");
        }
    }
}
