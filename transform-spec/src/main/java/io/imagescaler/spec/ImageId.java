package io.imagescaler.spec;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/** An image id: 256 random bits, URL-safe base64 without padding (43 characters). */
public record ImageId(String value) {
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public ImageId {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("an image id is 43 URL-safe base64 characters");
        }
    }

    public static boolean isValid(String value) {
        return value != null && SHAPE.matcher(value).matches();
    }

    public static ImageId random() {
        byte[] bits = new byte[32];
        RANDOM.nextBytes(bits);
        return new ImageId(Base64.getUrlEncoder().withoutPadding().encodeToString(bits));
    }

    @Override
    public String toString() {
        return value;
    }
}
