package io.imagescaler.lambdapackage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * Lambda refuses a zip/jar deployment package whose contents unzip to more than 262,144,000 bytes (layers
 * included). The build fails above 240,000,000, so a dependency that creeps in is caught with margin.
 */
class PackageSizeTest {
    static final long LAMBDA_UNZIPPED_QUOTA = 262_144_000L;
    static final long LIMIT = 240_000_000L;

    @Test
    void theLambdaJarUnzipsWellUnderLambdasQuota() throws Exception {
        long total = 0;
        long natives = 0;
        try (ZipFile zip = new ZipFile(LambdaPackage.jar().toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                total += e.getSize();
                if (e.getName().startsWith("natives/")) {
                    natives += e.getSize();
                }
            }
            for (String arch : List.of("linux-x86_64", "linux-aarch64")) {
                for (String lib : List.of("libvips-cpp.so.8.18.7", "libstdc++.so.6", "libgcc_s.so.1", "libraries.txt")) {
                    assertTrue(zip.getEntry("natives/" + arch + "/" + lib) != null, "the jar lacks natives/" + arch + "/" + lib);
                }
            }
            assertEquals(0, java.util.Collections.list(zip.entries()).stream()
                    .filter(e -> e.getName().contains("opencv") || e.getName().contains("openblas")).count(),
                    "OpenCV/OpenBLAS are gone from the package");
        }
        System.out.printf(Locale.ROOT, "image-handler-lambda.jar unzips to %,d bytes (%.1f%% of Lambda's %,d), natives %,d%n",
                total, 100.0 * total / LAMBDA_UNZIPPED_QUOTA, LAMBDA_UNZIPPED_QUOTA, natives);
        assertTrue(total <= LIMIT, "the Lambda jar unzips to " + total + " bytes; the limit is " + LIMIT
                + " (Lambda refuses more than " + LAMBDA_UNZIPPED_QUOTA + ")");
    }
}
