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

    private static List<Path> extracted() {
        String base = "/natives/" + platform() + "/";
        List<String> names = resourceLines(base + "libraries.txt");
        try {
            List<byte[]> contents = new ArrayList<>();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String name : names) {
                byte[] bytes = resource(base + name);
                sha.update(bytes);
                contents.add(bytes);
            }
            String id = HexFormat.of().formatHex(sha.digest()).substring(0, 16);
            Path dir = Path.of(System.getProperty("java.io.tmpdir"), "image-scaler-natives-" + id);
            Files.createDirectories(dir);
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                Path target = dir.resolve(names.get(i));
                if (!Files.exists(target) || Files.size(target) != contents.get(i).length) {
                    // written beside and moved into place, so a concurrent start never opens half a file
                    Path partial = Files.createTempFile(dir, names.get(i), ".part");
                    Files.write(partial, contents.get(i));
                    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                files.add(target);
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the native libraries out of the jar", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> resourceLines(String name) {
        return new String(resource(name), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }

    private static byte[] resource(String name) {
        try (InputStream in = NativeLibraries.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new UnsupportedOperationException("this build carries no " + name
                        + " (image-handler/natives/fetch.sh puts it there)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
