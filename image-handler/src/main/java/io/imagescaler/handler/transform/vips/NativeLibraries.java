package io.imagescaler.handler.transform.vips;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Finds libvips for this machine and opens it. The jar carries, per architecture, the portable libvips
 * that npm publishes for sharp and the GCC 10 C++ runtime it links ({@code natives/fetch.sh}); they are
 * copied once, side by side, to a directory named after their content (on Lambda under /tmp). libvips'
 * RUNPATH is {@code $ORIGIN/}, so the loader takes the bundled libstdc++/libgcc_s next to it before any
 * system copy: the same runtime on Debian, a minimal Amazon Linux 2023 or a glibc 2.31 root (unless the
 * process already loaded a libstdc++, which then serves both: the loader matches by soname).
 */
final class NativeLibraries {

    private NativeLibraries() {
    }

    /** What was opened, for the start-up log and the engine self-test. */
    record Opened(SymbolLookup lookup, Path library) {
    }

    /** {@code IMAGE_SCALER_LIBVIPS} names another libvips-cpp to open (a newer build, say). */
    static Opened open() {
        String explicit = System.getenv("IMAGE_SCALER_LIBVIPS");
        Path vips = explicit != null ? Path.of(explicit) : extracted().getLast();
        return new Opened(SymbolLookup.libraryLookup(vips, Arena.global()), vips);
    }

    /** The architecture's directory name in the jar, as the JVM names the machine. */
    static String platform() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            throw new UnsupportedOperationException("libvips is bundled for Linux only, not " + os);
        }
        return switch (arch) {
            case "amd64", "x86_64" -> "linux-x86_64";
            case "aarch64", "arm64" -> "linux-aarch64";
            default -> throw new UnsupportedOperationException("libvips is bundled for x86_64 and aarch64, not " + arch);
        };
    }

    /**
     * Streams each library out of the jar into a staging directory while hashing it (never the whole
     * file in the heap: a 19 MB byte[] read at start-up grew the heap, and the resident set with it, by
     * about 40 MB for the life of the process), then moves them into the directory named after the hash,
     * unless an earlier start already put them there.
     */
    private static List<Path> extracted() {
        String base = "/natives/" + platform() + "/";
        List<String> names = resourceLines(base + "libraries.txt");
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path staging = null;
        try {
            staging = Files.createTempDirectory(tmp, "image-scaler-natives-");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String name : names) {
                try (InputStream in = new DigestInputStream(resource(base + name), sha)) {
                    Files.copy(in, staging.resolve(name));
                }
            }
            Path dir = tmp.resolve("image-scaler-natives-" + HexFormat.of().formatHex(sha.digest()).substring(0, 16));
            Files.createDirectories(dir);
            List<Path> files = new ArrayList<>();
            for (String name : names) {
                Path staged = staging.resolve(name);
                Path target = dir.resolve(name);
                if (!Files.exists(target) || Files.size(target) != Files.size(staged)) {
                    // moved into place whole, so a concurrent start never opens half a file
                    Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                files.add(target);
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the native libraries out of the jar", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            deleteQuietly(staging);
        }
    }

    private static void deleteQuietly(Path staging) {
        if (staging == null) {
            return;
        }
        try (var left = Files.list(staging)) {
            for (Path p : left.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(staging);
        } catch (IOException e) {
            // a leftover staging directory in /tmp costs disk only
        }
    }

    private static List<String> resourceLines(String name) {
        try (InputStream in = resource(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = NativeLibraries.class.getResourceAsStream(name);
        if (in == null) {
            throw new UnsupportedOperationException("this build carries no " + name
                    + " (image-handler/natives/fetch.sh puts it there)");
        }
        return in;
    }
}
