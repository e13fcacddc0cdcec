package io.imagescaler.samples.mobile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The app's on-disk image cache, keyed by the variant's path (never its signature query: a URL re-signed
 * tomorrow is the same image). Each entry is the bytes plus the ETag and Content-Type they came with, so the
 * next request can say {@code If-None-Match} and a 304 costs no body.
 */
public final class EtagCache {
    private final Path dir;

    public EtagCache(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    public record Entry(String etag, String contentType, byte[] bytes) {
    }

    public Optional<Entry> get(String path) throws IOException {
        String k = key(path);
        Path meta = dir.resolve(k + ".meta");
        Path body = dir.resolve(k + ".bin");
        if (!Files.exists(meta) || !Files.exists(body)) {
            return Optional.empty();
        }
        String[] lines = Files.readString(meta, StandardCharsets.UTF_8).split("\n", -1);
        if (lines.length < 2 || lines[0].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Entry(lines[0], lines[1], Files.readAllBytes(body)));
    }

    /** Writes the body first and the metadata last (each through a rename), so a crash leaves no ETag for wrong bytes. */
    public void put(String path, Entry entry) throws IOException {
        String k = key(path);
        write(dir.resolve(k + ".bin"), entry.bytes());
        write(dir.resolve(k + ".meta"), (entry.etag() + "\n" + entry.contentType() + "\n" + path + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    private void write(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(dir, "entry", ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String key(String path) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(path.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
