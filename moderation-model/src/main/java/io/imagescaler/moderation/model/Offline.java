package io.imagescaler.moderation.model;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Keeps ONNX Runtime on loopback: its native library starts a telemetry uploader that only the
 * environment variable {@code ORT_DISABLE_TELEMETRY=1} stops (see sr-endpoint's OfflineEngine, which
 * found it with strace). A JVM cannot change its own environment through Java, so libc's {@code setenv}
 * is called through the FFM API before the native library loads. A copy rather than a dependency: this
 * module goes into the Lambda, sr-endpoint (Javalin, DJL) must not.
 */
final class Offline {
    private static volatile boolean done;

    private Offline() {
    }

    static synchronized void ensure() {
        if (done) return;
        if (!"1".equals(System.getenv("ORT_DISABLE_TELEMETRY"))) {
            try {
                Linker linker = Linker.nativeLinker();
                MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                                ValueLayout.JAVA_INT));
                try (Arena arena = Arena.ofConfined()) {
                    int rc = (int) setenv.invokeExact(arena.allocateFrom("ORT_DISABLE_TELEMETRY"),
                            arena.allocateFrom("1"), 1);
                    if (rc != 0) throw new IllegalStateException("setenv returned " + rc);
                }
            } catch (Throwable e) {
                System.err.println("moderation-model: could not set ORT_DISABLE_TELEMETRY for ONNX Runtime (" + e
                        + "); set it in the environment");
            }
        }
        done = true;
    }
}
