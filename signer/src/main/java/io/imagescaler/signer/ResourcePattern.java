package io.imagescaler.signer;

import java.util.regex.Pattern;

/**
 * A policy's {@code Resource}: matched case-sensitively against the whole request URL (query string
 * included, signature parameters excluded), where {@code *} stands for any run of characters (slashes
 * included, possibly none) and {@code ?} for exactly one character, as CloudFront documents.
 */
public record ResourcePattern(String pattern) {
    public boolean matches(String resource) {
        return compiled().matcher(resource).matches();
    }

    public boolean isWildcard() {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0;
    }

    private Pattern compiled() {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
