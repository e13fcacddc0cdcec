package io.imagescaler.signer;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * CloudFront's own URL-safe base64: standard base64 with {@code +} → {@code -}, {@code =} → {@code _},
 * {@code /} → {@code ~}. It is not RFC 4648 base64url, so neither JDK codec reads it directly.
 */
public final class CloudFrontBase64 {
    private CloudFrontBase64() {
    }

    public static String encode(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes).replace('+', '-').replace('=', '_').replace('/', '~');
    }

    public static String encode(String text) {
        return encode(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Also accepts standard base64 characters, as CloudFront does for values that arrive unencoded. */
    public static byte[] decode(String text) {
        String standard = text.replace('-', '+').replace('_', '=').replace('~', '/');
        return Base64.getDecoder().decode(standard);
    }
}
