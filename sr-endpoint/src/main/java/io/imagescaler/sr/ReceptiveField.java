package io.imagescaler.sr;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;

/**
 * Measures how much real context a network needs around a tile: the smallest margin for which cutting
 * the input changes no output value by 1/255 or more. A deep network's theoretical receptive field is far
 * wider than what it effectively looks at, so guessing it either wastes compute (every tile recomputes
 * its margins) or shows seams.
 *
 * <p>The probe is uniform noise, the input that spreads a cut's influence furthest: the full image is run
 * once, then windows that cut it {@code m} pixels past a core, and the core's outputs are compared.
 */
public final class ReceptiveField {

    /** Largest margin tried; beyond it, tiling is refused in favour of this many pixels (and logged). */
    public static final int MAX_MARGIN = 32;
    private static final int CORE = 16, EXTRA = 8;
    private static final float TOLERANCE = 1f / 255f;

    private ReceptiveField() {
    }

    /** A measurement: the margin found and the largest output difference it leaves. */
    public record Margin(int pixels, float maxDifference, boolean withinTolerance) {
    }

    /** The smallest margin in 2..{@link #MAX_MARGIN} (steps of 2) whose cut changes the core by less than 1/255. */
    public static Margin measure(TileModel model) {
        int s = model.scale(), side = CORE + MAX_MARGIN + EXTRA;
        FloatBuffer noise = EsrganModel.direct(3 * side * side);
        SplittableRandom random = new SplittableRandom(18);
        for (int i = 0; i < noise.capacity(); i++) noise.put(i, (float) random.nextDouble());
        float[] reference = new float[3 * CORE * s * CORE * s];
        model.upscale(noise, side, side, out -> core(out, side * s, CORE * s, reference));
        float[] cut = new float[reference.length];
        float last = Float.NaN;
        for (int m = 2; m <= MAX_MARGIN; m += 2) {
            int w = CORE + m;
            FloatBuffer window = EsrganModel.direct(3 * w * w);
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < w; y++)
                    for (int x = 0; x < w; x++)
                        window.put(c * w * w + y * w + x, noise.get(c * side * side + y * side + x));
            model.upscale(window, w, w, out -> core(out, w * s, CORE * s, cut));
            float max = 0;
            for (int i = 0; i < cut.length; i++) max = Math.max(max, Math.abs(cut[i] - reference[i]));
            if (max < TOLERANCE) return new Margin(m, max, true);
            last = max;
        }
        return new Margin(MAX_MARGIN, last, false);
    }

    /** The top-left {@code core × core} output pixels of each plane of a {@code width}-wide output. */
    private static void core(FloatBuffer planes, int width, int core, float[] into) {
        int plane = planes.remaining() / 3;
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < core; y++)
                for (int x = 0; x < core; x++)
                    into[c * core * core + y * core + x] = planes.get(c * plane + y * width + x);
    }
}
