package io.imagescaler.moderation.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Puts the model's five classes into the words of Rekognition's moderation taxonomy (version 7: three
 * levels, e.g. {@code Explicit} > {@code Explicit Nudity} > {@code Exposed Female Genitalia}), so the
 * handler's policy reads the local answer exactly as it reads Rekognition's.
 *
 * <table>
 *   <caption>The mapping (confidence = 100 x probability)</caption>
 *   <tr><th>model classes</th><th>level 1 (ParentName "")</th><th>level 2</th></tr>
 *   <tr><td>Porn + Hentai</td><td>{@code Explicit}</td><td>{@code Explicit Nudity}</td></tr>
 *   <tr><td>Sexy</td><td>{@code Non-Explicit Nudity of Intimate parts and Kissing}</td>
 *       <td>{@code Non-Explicit Nudity}</td></tr>
 *   <tr><td>Drawing + Hentai</td><td colspan="2">content type {@code Illustrated} (not a label)</td></tr>
 *   <tr><td>Neutral</td><td colspan="2">nothing (no label is the safe answer)</td></tr>
 * </table>
 *
 * <p>Why sums: the classes exclude each other, so the probability that an image belongs in a category
 * is the sum of its classes' probabilities (an image scored Porn 0.45, Hentai 0.40 is 85 % explicit).
 * Both labels of a category carry the same confidence, as a parent is at least as likely as its child.
 * Nothing finer is claimed: the model cannot tell a level-3 body part, nor violence, drugs, hate symbols
 * or any other Rekognition category, which the local server therefore never reports.
 */
public final class RekognitionTaxonomy {
    public static final String EXPLICIT = "Explicit";
    public static final String EXPLICIT_NUDITY = "Explicit Nudity";
    public static final String NON_EXPLICIT = "Non-Explicit Nudity of Intimate parts and Kissing";
    public static final String NON_EXPLICIT_NUDITY = "Non-Explicit Nudity";
    public static final String ILLUSTRATED = "Illustrated";

    /** One label as DetectModerationLabels reports it ({@code Confidence} 0..100). */
    public record Label(String name, String parentName, double confidence, int taxonomyLevel) {
    }

    /** One entry of DetectModerationLabels's {@code ContentTypes} (e.g. {@code Illustrated}). */
    public record ContentType(String name, double confidence) {
    }

    /** Labels (highest confidence first, a parent before its child) and content types. */
    public record Answer(List<Label> labels, List<ContentType> contentTypes) {
        public Answer {
            labels = List.copyOf(labels);
            contentTypes = List.copyOf(contentTypes);
        }
    }

    private RekognitionTaxonomy() {
    }

    /** @param minConfidence 0..100: labels and content types below it are left out, as Rekognition does */
    public static Answer answer(ClassScores scores, double minConfidence) {
        if (!(minConfidence >= 0 && minConfidence <= 100)) {
            throw new IllegalArgumentException("MinConfidence must be 0..100, got " + minConfidence);
        }
        // one [parent, child] pair per category, the categories highest first (a stable sort keeps ties in
        // this order), so a parent always comes right before its child
        List<List<Label>> categories = new ArrayList<>();
        double explicit = percent(scores.porn() + scores.hentai());
        if (explicit >= minConfidence) {
            categories.add(List.of(new Label(EXPLICIT, "", explicit, 1),
                    new Label(EXPLICIT_NUDITY, EXPLICIT, explicit, 2)));
        }
        double nonExplicit = percent(scores.sexy());
        if (nonExplicit >= minConfidence) {
            categories.add(List.of(new Label(NON_EXPLICIT, "", nonExplicit, 1),
                    new Label(NON_EXPLICIT_NUDITY, NON_EXPLICIT, nonExplicit, 2)));
        }
        categories.sort(Comparator.comparingDouble((List<Label> c) -> c.get(0).confidence()).reversed());
        List<Label> labels = categories.stream().flatMap(List::stream).toList();
        List<ContentType> types = new ArrayList<>();
        double illustrated = percent(scores.drawing() + scores.hentai());
        if (illustrated >= minConfidence) {
            types.add(new ContentType(ILLUSTRATED, illustrated));
        }
        return new Answer(labels, types);
    }

    private static double percent(double probability) {
        return Math.min(100.0, 100.0 * probability);
    }
}
