package io.imagescaler.moderation.model;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The model's probabilities for one image, one per {@link NsfwClass} (they sum to 1).
 */
public record ClassScores(double drawing, double hentai, double neutral, double porn, double sexy) {

    public ClassScores {
        for (double p : new double[] {drawing, hentai, neutral, porn, sexy}) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("a class probability must be in 0..1, got " + p);
            }
        }
    }

    /** @param probabilities in {@link NsfwClass} order */
    public static ClassScores of(float[] probabilities) {
        if (probabilities.length != NsfwClass.values().length) {
            throw new IllegalArgumentException("expected 5 probabilities, got " + probabilities.length);
        }
        // float32 softmax outputs can exceed 1 by an ulp
        double[] p = new double[5];
        for (int i = 0; i < 5; i++) p[i] = Math.clamp(probabilities[i], 0.0, 1.0);
        return new ClassScores(p[0], p[1], p[2], p[3], p[4]);
    }

    public double get(NsfwClass c) {
        return switch (c) {
            case DRAWING -> drawing;
            case HENTAI -> hentai;
            case NEUTRAL -> neutral;
            case PORN -> porn;
            case SEXY -> sexy;
        };
    }

    /** The most likely class. */
    public NsfwClass top() {
        return Arrays.stream(NsfwClass.values()).max(Comparator.comparingDouble(this::get)).orElseThrow();
    }

    /** Probability that the image is safe for work: {@code Drawing + Neutral}. */
    public double safe() {
        return drawing + neutral;
    }

    @Override
    public String toString() {
        return Arrays.stream(NsfwClass.values())
                .map(c -> String.format(Locale.ROOT, "%s=%.4f", c.label(), get(c)))
                .collect(Collectors.joining(" ", "ClassScores[", "]"));
    }
}
