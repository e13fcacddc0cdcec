package io.imagescaler.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class EngineBenchTest {

    /**
     * The bench compares CPU time per render (15–60 ms for most images) with node's getrusage, which
     * counts in microseconds: the JVM's clock has to be as fine, not the 10 ms ticks of the JDK's
     * getProcessCpuTime() on Linux.
     */
    @Test
    void processCpuTimeIsReadFinerThanAClockTick() {
        // the process's other threads (JIT, GC) add to it between two readings: take the smallest of many steps
        long smallest = Long.MAX_VALUE;
        long previous = EngineBench.processCpuNanos();
        for (int steps = 0; steps < 1000; ) {
            long now = EngineBench.processCpuNanos();
            if (now != previous) {
                smallest = Math.min(smallest, now - previous);
                previous = now;
                steps++;
            }
        }
        assertThat(smallest).as("the smallest step of the process CPU clock, ns").isLessThan(1_000_000);

    }

    /** CPU time, not wall time: a sleeping process spends (almost) none. */
    @Test
    void processCpuTimeDoesNotCountASleep() throws InterruptedException {
        long wall = System.nanoTime();
        long cpu = EngineBench.processCpuNanos();
        Thread.sleep(300);
        long slept = System.nanoTime() - wall;
        assertThat(EngineBench.processCpuNanos() - cpu).as("process CPU ns over a %d ns sleep", slept)
                .isLessThan(slept);
    }

    @Test
    void aWorkloadPrintsItsMedianTimeCpuTimeAndPeakResidentSet() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            exit = new CommandLine(new EngineBench()).setCaseInsensitiveEnumValuesAllowed(true).execute(
                    "--warmup", "1", "--runs", "3", "W3", Path.of("../testdata/images/png-rgba-dice-800x600.png").toString());
        } finally {
            System.setOut(original);
        }
        String line = out.toString(StandardCharsets.UTF_8).strip();
        assertThat(exit).isZero();
        assertThat(line).matches("java_ms=\\d+\\.\\d java_rss_mb=\\d+ java_cpu_ms=\\d+\\.\\d images=1 runs=3 bytes=\\d+");
        double ms = Double.parseDouble(line.replaceAll(".*java_ms=([0-9.]+).*", "$1"));
        double cpuMs = Double.parseDouble(line.replaceAll(".*java_cpu_ms=([0-9.]+).*", "$1"));
        assertThat(ms).isPositive();
        assertThat(cpuMs).isPositive();
        assertThat(Long.parseLong(line.replaceAll(".*bytes=(\\d+).*", "$1"))).isGreaterThan(1000);
    }
}
