package io.imagescaler.sr;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Keeps the inference stack on loopback. Two libraries phone home unless told not to:
 * <ul>
 *   <li>DJL calls the EC2 metadata address and an S3 telemetry URL when its engine first loads; it reads
 *   {@code ai.djl.offline} / {@code OPT_OUT_TRACKING} from system properties as well as the environment.</li>
 *   <li>ONNX Runtime 1.29's native library starts a telemetry uploader (DNS lookups of
 *   {@code mobile.events.data.microsoft.com} seen here with strace a few seconds after the first session)
 *   that only the environment variable {@code ORT_DISABLE_TELEMETRY=1} stops;
 *   {@code OrtEnvironment.setTelemetry(false)} does not. A JVM cannot change its own environment through
 *   Java, so libc's {@code setenv} is called through the FFM API before the native library loads.</li>
 * </ul>
 * Every path that can load either engine (server, tests, bench) comes through here first.
 */
public final class OfflineEngine {

    private static volatile boolean done;

    private OfflineEngine() {
    }

    public static synchronized void ensure() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        if (done) return;
        if (!"1".equals(System.getenv("ORT_DISABLE_TELEMETRY"))) setNativeEnvironment("ORT_DISABLE_TELEMETRY", "1");
        done = true;
    }

    private static void setNativeEnvironment(String name, String value) {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
            try (Arena arena = Arena.ofConfined()) {
                int rc = (int) setenv.invokeExact(arena.allocateFrom(name), arena.allocateFrom(value), 1);
                if (rc != 0) throw new IllegalStateException("setenv returned " + rc);
            }
        } catch (Throwable e) {
            // not fatal: the container and the build set the variable in the environment as well
            System.err.println("sr-endpoint: could not set " + name + " for the native libraries (" + e
                    + "); set it in the environment to keep ONNX Runtime from sending telemetry");
        }
    }
}
