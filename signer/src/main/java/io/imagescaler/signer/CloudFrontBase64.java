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

    /**
     * Also accepts standard base64 characters ({@code + = /}) for values a client sent unencoded. Refuses
     * non-canonical spellings (unused low bits set in the last character, missing padding): the JDK decoder
     * would ignore such bits, letting a visibly different signature string pass as the same bytes.
     */
    public static byte[] decode(String text) {
        String standard = text.replace('-', '+').replace('_', '=').replace('~', '/');
        byte[] bytes = Base64.getDecoder().decode(standard);
        if (!Base64.getEncoder().encodeToString(bytes).equals(standard)) {
            throw new IllegalArgumentException("not canonical base64");
        }
        return bytes;
    }
}
