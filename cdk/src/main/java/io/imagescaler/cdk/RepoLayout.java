package io.imagescaler.cdk;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the files the app deploys live in the repository. The app runs from {@code cdk/} under
 * {@code cdk synth}, from the repository root under {@code mvn -pl cdk exec:java}, and from {@code cdk/}
 * under surefire, so paths are resolved against the repository root found by walking up.
 */
public record RepoLayout(Path root) {

    /** The repository root: the nearest directory (from the working directory up) holding {@code cdk/cdk.json}. */
    public static RepoLayout discover() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("cdk").resolve("cdk.json"))) {
                return new RepoLayout(p);
            }
        }
        throw new IllegalStateException("no repository root (a directory with cdk/cdk.json) above " + dir);
    }

    /** Default code asset of the image-handler Lambda, built by {@code mvn package -pl image-handler -am}. */
    public Path handlerJar() {
        return root.resolve("image-handler/target/image-handler-lambda.jar");
    }

    /** The WAF rule JSON written for both the local edge and this app. */
    public Path wafRulesDir() {
        return root.resolve("waf-rules/src/main/resources/waf");
    }

    /** Code of the origin-verify secret rotation Lambda. */
    public Path rotationCode() {
        return root.resolve("cdk/src/main/resources/rotation");
    }

    /**
     * The viewer-request CloudFront Function for variant GETs: the one source, which the local edge runs too
     * (waf-rules {@code VariantRequestFunction}).
     */
    public Path variantRequestFunction() {
        return root.resolve("waf-rules/src/main/resources/edge/variant-request.js");
    }

    /** The usage-events table's columns (the handler's resource; also the local DuckDB view's). */
    public Path analyticsColumns() {
        return root.resolve("image-handler/src/main/resources/analytics/events-columns.txt");
    }
}
