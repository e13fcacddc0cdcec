package io.imagescaler.lambdapackage;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the artefact under test is: the Lambda jar the image-handler module just built. */
final class LambdaPackage {
    private LambdaPackage() {
    }

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("image-handler").resolve("pom.xml"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no image-handler module above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    static Path jar() {
        Path jar = repoRoot().resolve("image-handler/target/image-handler-lambda.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build image-handler first (mvn -pl lambda-package -am verify)");
        }
        return jar;
    }
}
