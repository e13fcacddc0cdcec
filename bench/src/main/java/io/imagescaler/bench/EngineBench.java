package io.imagescaler.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.imagescaler.handler.transform.EngineSelection;
import io.imagescaler.handler.transform.Limits;
import io.imagescaler.handler.transform.Pipeline;
import io.imagescaler.handler.transform.SourceInfo;
import io.imagescaler.handler.transform.TransformEngine;
import io.imagescaler.handler.transform.portable.JavaBackend;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * One workload of the engine bench, in-process bytes to bytes, on one thread, in its own JVM so its
 * peak RSS is its own. bench/run.sh runs it beside bench/sharp/bench.js and prints the comparison.
 * Output: {@code java_ms=<median ms per image> java_rss_mb=<peak RSS> images=<n> runs=<n>}.
 */
@Command(name = "engine-bench", mixinStandardHelpOptions = true)
public final class EngineBench implements Runnable {

    /** The workloads of issue 3, spelled in our transform language; sharp's script mirrors them. */
    enum Workload {
        W1_JPEG("w_800,h_800", ImageFormat.JPG),
        W1_WEBP("w_800,h_800", ImageFormat.WEBP),
        W2_PNG("w_400", ImageFormat.PNG),
        W2_WEBP("w_400", ImageFormat.WEBP),
        W3("w_200,h_200,fit_cover", ImageFormat.JPG),
        W4_AVIF("w_800,h_800,q_50", ImageFormat.AVIF);

        final String transform;
        final ImageFormat format;

        Workload(String transform, ImageFormat format) {
            this.transform = transform;
            this.format = format;
        }
    }

    @Parameters(index = "0", description = "W1_JPEG, W1_WEBP, W2_PNG, W2_WEBP, W3 or W4_AVIF")
    Workload workload;

    @Parameters(index = "1..*", description = "input images")
    List<Path> images;

    @Option(names = "--engine", defaultValue = "native",
            description = "native (libvips) or java (the pure-Java fallback engine)")
    EngineSelection.Choice engineChoice;

    @Option(names = "--warmup", defaultValue = "8", description = "untimed runs per image")
    int warmup;

    @Option(names = "--runs", defaultValue = "15", description = "timed runs per image")
    int runs;

    @Option(names = "--stages", description = "also print the median time of each render stage")
    boolean stages;

    private final java.util.Map<String, List<Double>> stageMillis = new java.util.TreeMap<>();

    @Override
    public void run() {
        // The engine itself, not EngineSelection: its start-up log line initialises the handler's JSON
        // logging stack (logback, Jackson; ~1,300 classes, ~35 MB of RSS), which is not the engine's cost.
        TransformEngine engine = switch (engineChoice) {
            case JAVA -> new Pipeline(new JavaBackend());
            case NATIVE -> new Pipeline();
            case AUTO -> throw new CommandLine.ParameterException(new CommandLine(this),
                    "--engine is native or java");
        };
        TransformSpec spec = TransformSpec.parse(workload.transform);
        List<byte[]> sources = images.stream().map(EngineBench::read).toList();
        for (byte[] src : sources) {
            for (int i = 0; i < warmup; i++) {
                once(engine, src, spec);
            }
        }
        List<Double> millis = new ArrayList<>();
        List<Double> cpuMillis = new ArrayList<>();
        long sink = 0;
        for (int r = 0; r < runs; r++) {
            for (byte[] src : sources) {
                long c0 = processCpuNanos();
                long t0 = System.nanoTime();
                sink += once(engine, src, spec);
                millis.add((System.nanoTime() - t0) / 1e6);
                cpuMillis.add((processCpuNanos() - c0) / 1e6);
            }
        }
        double median = median(millis);
        if (stages) {
            stageMillis.forEach((stage, ms) -> System.out.printf(Locale.ROOT, "stage %s ms=%.1f%n", stage,
                    ms.stream().mapToDouble(Double::doubleValue).sorted().toArray()[ms.size() / 2]));
        }
        System.out.printf(Locale.ROOT, "java_ms=%.1f java_rss_mb=%d java_cpu_ms=%.1f images=%d runs=%d bytes=%d%n",
                median, peakRssMb(), median(cpuMillis), sources.size(), runs, sink / runs);
    }

    private int once(TransformEngine engine, byte[] src, TransformSpec spec) {
        SourceInfo info = engine.probe(src, Limits.DEFAULT);
        var rendered = engine.render(src, info, spec, workload.format, Limits.DEFAULT);
        rendered.timings().asMap().forEach((stage, ms) -> stageMillis.computeIfAbsent(stage, k -> new ArrayList<>()).add(ms));
        return rendered.bytes().length;
    }

    private static double median(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sorted().toArray()[values.size() / 2];
    }

    /**
     * CPU time of the whole process (render, GC, JIT), the same measure as node's process.cpuUsage():
     * on a busy machine wall time mostly measures the neighbours, CPU time much less so. Read with
     * clock_gettime(CLOCK_PROCESS_CPUTIME_ID) in nanoseconds: the JDK's getProcessCpuTime() counts
     * in 10 ms clock ticks on Linux, coarser than most renders here.
     */
    static long processCpuNanos() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment timespec = arena.allocate(JAVA_LONG, 2);
            if ((int) CLOCK_GETTIME.invokeExact(CLOCK_PROCESS_CPUTIME_ID, timespec) != 0) {
                throw new IllegalStateException("clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
            }
            return timespec.getAtIndex(JAVA_LONG, 0) * 1_000_000_000L + timespec.getAtIndex(JAVA_LONG, 1);
        } catch (Throwable t) {
            throw t instanceof RuntimeException r ? r : new IllegalStateException(t);
        }
    }

    private static final int CLOCK_PROCESS_CPUTIME_ID = 2; // <time.h> on Linux

    private static final MethodHandle CLOCK_GETTIME = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("clock_gettime").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    /** VmHWM: the process's peak resident set, what a Lambda's memory setting has to cover. */
    static long peakRssMb() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("VmHWM:"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024)
                    .findFirst().orElse(-1L);
        } catch (IOException e) {
            return -1;
        }
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new EngineBench()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }
}
