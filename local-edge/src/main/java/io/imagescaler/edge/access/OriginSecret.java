package io.imagescaler.edge.access;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/** The local edge's X-Origin-Verify value: random, created once under the data directory. */
public final class OriginSecret {
    private OriginSecret() {
    }

    public static String openOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve("origin-verify.secret");
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createDirectories(dataDir);
        Files.writeString(file, secret);
        return secret;
    }
}
