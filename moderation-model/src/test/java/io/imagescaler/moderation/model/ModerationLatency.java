package io.imagescaler.moderation.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * How long one moderation by the local model takes, per stage (decode + resize, inference), for the
 * files given (default: the in-repo dice PNG and JPEG photo). Not a test: a figure for the README.
 *
 * <pre>
 * mvn -B -ntp -o -q -pl moderation-model -am test-compile
 * mvn -B -ntp -o -q -pl moderation-model dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp moderation-model/target/classes:moderation-model/target/test-classes:$(cat /tmp/cp.txt) \
 *     io.imagescaler.moderation.model.ModerationLatency [THREADS] [FILE...]
 * </pre>
 */
public final class ModerationLatency {
    private static final int WARMUP = 5;
    private static final int RUNS = 20;

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        String[] files = args.length > 1 ? Arrays.copyOfRange(args, 1, args.length)
                : new String[] {"testdata/images/png-rgba-dice-800x600.png", "testdata/images/jpeg-cmyk-swop-icc-channel.jpg"};
        long t0 = System.nanoTime();
        try (NsfwModel model = NsfwModel.load(threads)) {
            System.out.printf(Locale.ROOT, "model load: %.0f ms (intra-op threads %s)%n",
                    (System.nanoTime() - t0) / 1e6, threads == 0 ? "default" : threads);
            for (String file : files) {
                byte[] bytes = Files.readAllBytes(Path.of(file));
                double[] prep = new double[RUNS];
                double[] infer = new double[RUNS];
                ClassScores scores = null;
                for (int i = -WARMUP; i < RUNS; i++) {
                    long a = System.nanoTime();
                    float[] input = ModelInput.fromImage(bytes);
                    long b = System.nanoTime();
                    scores = model.classify(input);
                    long c = System.nanoTime();
                    if (i >= 0) {
                        prep[i] = (b - a) / 1e6;
                        infer[i] = (c - b) / 1e6;
                    }
                }
                Arrays.sort(prep);
                Arrays.sort(infer);
                System.out.printf(Locale.ROOT, "%-36s %8d bytes  decode+resize median %6.1f ms (min %.1f)  "
                                + "inference median %5.1f ms (min %.1f)  %s%n", Path.of(file).getFileName(), bytes.length,
                        prep[RUNS / 2], prep[0], infer[RUNS / 2], infer[0], scores);
            }
        }
    }
}
