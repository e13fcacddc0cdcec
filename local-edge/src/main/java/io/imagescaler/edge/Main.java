package io.imagescaler.edge;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar local-edge/target/local-edge.jar [--port 8080] [--data ./data]} */
@Command(name = "local-edge", mixinStandardHelpOptions = true,
        description = "Runs image-scaler on this machine: edge, handler, S3Proxy and DynamoDB Local, on 127.0.0.1.")
public final class Main implements Callable<Integer> {

    @Option(names = "--port", description = "HTTP port of the edge (default: ${DEFAULT-VALUE})")
    int port = 8080;

    @Option(names = "--data", description = "data directory; survives restarts (default: ${DEFAULT-VALUE})")
    Path data = Path.of("data");

    @Option(names = "--trace-port", description = "UDP port (127.0.0.1) that receives X-Ray segments, as the X-Ray "
            + "daemon's (default: ${DEFAULT-VALUE}; 0 = any free port)")
    int tracePort = 2000;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        Map<String, String> overrides = new java.util.HashMap<>(tunables(System.getenv()));
        overrides.put(LocalEdge.LOCAL_TRACE_PORT, Integer.toString(tracePort));
        LocalEdge edge;
        try {
            edge = LocalEdge.start(port, data.toAbsolutePath(), overrides);
        } catch (Exception e) {
            java.util.Optional<String> busy = busyPort(e);
            if (busy.isEmpty()) {
                throw e;
            }
            System.err.println(busy.get());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            edge.close();
            stopped.countDown();
        }));
        System.err.printf("started in %d ms; data in %s%n", (System.nanoTime() - t0) / 1_000_000,
                data.toAbsolutePath());
        System.out.println("image-scaler local edge ready on " + edge.baseUrl());
        System.out.println(edge.howToSign());
        System.out.flush();
        stopped.await();
        return 0;
    }

    /**
     * One line for a port that is taken (another local edge, most often), naming the way out; empty when
     * the failure is something else.
     */
    private java.util.Optional<String> busyPort(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof java.net.BindException) {
                return java.util.Optional.of("local-edge: a port is already in use (HTTP " + port + " or X-Ray UDP "
                        + tracePort + " on 127.0.0.1; another local edge?): stop it, or start this one "
                        + "with --port <free port> --trace-port 0");
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * The environment variables that may tune the local edge. Endpoints and credentials are never taken
     * from the environment here: the local edge only ever talks to its own servers on 127.0.0.1.
     */
    private static final java.util.Set<String> EDGE_TUNABLES = java.util.Set.of("REQUIRE_SIGNED_URLS",
            "TRUSTED_PUBLIC_KEYS", "WAF_CLOUDFRONT_ACL_FILE", "WAF_REGIONAL_ACL_FILE",
            "ORIGIN_VERIFY_PREVIOUS", "WIDTH_LADDER", "PRESETS_ONLY", "TRACING", "METRICS", "METRICS_NAMESPACE",
            "UPLOAD_CORS_ORIGINS", "PROVISIONAL_SECONDS", "IDEMPOTENCY_STALE_SECONDS", "RENDER_CONCURRENCY",
            "RENDER_QUEUE", "RENDER_QUEUE_WAIT_SECONDS", "SWEEP_AFTER_SECONDS", "SWEEP_INTERVAL_SECONDS", "LOCAL_SR");

    static Map<String, String> tunables(Map<String, String> env) {
        java.util.Map<String, String> picked = new java.util.HashMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("MAX_") || k.startsWith("MODERATION") || k.startsWith("WEBHOOK_") || k.equals("PRESETS")
                    || k.equals("VARIANT_MAX_AGE_SECONDS") || k.equals("ORIGINALS_BUCKET") || k.equals("GENERATED_BUCKET")
                    || k.equals("TABLE_NAME") || EDGE_TUNABLES.contains(k)) {
                picked.put(k, v);
            }
        });
        return picked;
    }

    public static void main(String[] args) {
        // Loopback only: no SDK client may ever fall back to the EC2 metadata address.
        System.setProperty("aws.disableEc2Metadata", "true");
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
