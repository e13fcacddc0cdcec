package io.imagescaler.spec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One spelling of a request path: escapes of characters that a path segment may hold as they are (RFC 3986
 * {@code pchar}: letters, digits, {@code -._~!$&'()*+,;=:@}) are decoded, so {@code w_400%2Ch_300} and
 * {@code w_400,h_300} name the same variant, as AWS's JS signer spells the one and people the other. Any other
 * escape ({@code %2F}, {@code %25}, {@code %20}, ...) stays, upper-cased, and is refused where a transform is
 * parsed. The CloudFront Function (waf-rules edge/variant-request.js) applies the same rule before the cache lookup.
 */
public final class PathSpelling {
    private static final Pattern ESCAPE = Pattern.compile("%([0-9A-Fa-f]{2})");
    private static final String PLAIN = "-._~!$&'()*+,;=:@";

    private PathSpelling() {
    }

    public static String plain(String path) {
        if (path.indexOf('%') < 0) {
            return path;
        }
        Matcher m = ESCAPE.matcher(path);
        StringBuilder out = new StringBuilder(path.length());
        while (m.find()) {
            char c = (char) Integer.parseInt(m.group(1), 16);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || PLAIN.indexOf(c) >= 0;
            m.appendReplacement(out, Matcher.quoteReplacement(plain ? String.valueOf(c) : m.group().toUpperCase()));
        }
        m.appendTail(out);
        return out.toString();
    }
}
