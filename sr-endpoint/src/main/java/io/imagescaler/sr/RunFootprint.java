package io.imagescaler.sr;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures the memory one network run takes per input pixel, so that the memory budget can say how large
 * an image may go through the network whole. The process's peak resident set is reset (Linux:
 * {@code /proc/self/clear_refs}), one run on a probe image is made, and the rise of the peak is divided by
 * the probe's pixels: activations, ONNX Runtime's scratch and the output tensor, as the CPU provider
 * really allocates them. Small fixed costs make it a slight over-estimate, which is the safe side.
 */
public final class RunFootprint {

    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");
    private static final Path STATUS = Path.of("/proc/self/status");
    static final int PROBE_SIDE = 96;

    private RunFootprint() {
    }

    /** @return bytes per input pixel, or -1 where the peak cannot be reset or read (not Linux, no permission) */
    public static long bytesPerInputPixel(TileModel model) {
        if (!Files.isWritable(CLEAR_REFS) || !Files.isReadable(STATUS)) return -1;
        FloatBuffer probe = EsrganModel.direct(3 * PROBE_SIDE * PROBE_SIDE);
        for (int i = 0; i < probe.capacity(); i++) probe.put(i, (i * 0.618034f) % 1f);
        try {
            Files.writeString(CLEAR_REFS, "5"); // resets VmHWM to the current resident set
            long before = statusKb("VmRSS:");
            long[] peak = new long[1];
            model.upscale(probe, PROBE_SIDE, PROBE_SIDE, out -> peak[0] = statusKbUnchecked("VmHWM:"));
            long after = Math.max(peak[0], statusKb("VmHWM:"));
            return Math.max(1, (after - before) * 1024 / ((long) PROBE_SIDE * PROBE_SIDE));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long statusKbUnchecked(String key) {
        try {
            return statusKb(key);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long statusKb(String key) throws IOException {
        for (String line : Files.readAllLines(STATUS))
            if (line.startsWith(key)) return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        throw new IOException("no " + key + " in " + STATUS);
    }
}
