package io.imagescaler.sr;

/**
 * DJL calls the EC2 metadata address and an S3 telemetry URL when its engine first loads, unless told not
 * to. Nothing of ours may send traffic beyond loopback, so every path that can load the engine (server
 * main, {@link SrServer#start}, the bench, tests) goes through here first.
 */
final class OfflineEngine {

    private OfflineEngine() {
    }

    static void ensure() {
        System.setProperty("ai.djl.offline", "true");
        // DJL reads OPT_OUT_TRACKING from the environment or, failing that, from a system property
        System.setProperty("OPT_OUT_TRACKING", "true");
    }
}
