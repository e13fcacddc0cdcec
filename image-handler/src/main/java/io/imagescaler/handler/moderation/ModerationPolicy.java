package io.imagescaler.handler.moderation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns labels into an action. A label counts when its confidence is at least {@code minConfidence}
 * and its own name or its parent's name is one of the configured categories (Rekognition reports the
 * ancestors of a label as labels of their own, so top-level categories are enough). Category names
 * compare case-insensitively.
 *
 * @param minConfidence      0..100; also sent to the model, so weaker labels are not even reported
 * @param blockedCategories  labels that blur the image
 * @param rejectedCategories labels that reject it outright (checked first; empty by default)
 */
public record ModerationPolicy(double minConfidence, Set<String> blockedCategories, Set<String> rejectedCategories) {

    public static final Set<String> DEFAULT_BLOCKED = Set.of(
            "Explicit Nudity", "Explicit", "Violence", "Visually Disturbing", "Hate Symbols");
    public static final double DEFAULT_MIN_CONFIDENCE = 75;

    public ModerationPolicy {
        if (!(minConfidence >= 0 && minConfidence <= 100)) {
            throw new IllegalArgumentException("configuration: moderation minimum confidence must be 0..100");
        }
        blockedCategories = lower(blockedCategories);
        rejectedCategories = lower(rejectedCategories);
    }

    public ModerationVerdict judge(Detected detected, Instant at) {
        List<ModerationLabel> reported = detected.labels().stream()
                .filter(l -> l.confidence() >= minConfidence)
                .sorted(Comparator.comparingDouble(ModerationLabel::confidence).reversed())
                .toList();
        List<ModerationLabel> rejected = matching(reported, rejectedCategories);
        if (!rejected.isEmpty()) {
            return new ModerationVerdict(ModerationVerdict.Action.REJECT, reported, detected.modelVersion(),
                    "rejected: " + describe(rejected), at);
        }
        List<ModerationLabel> blocked = matching(reported, blockedCategories);
        if (!blocked.isEmpty()) {
            return new ModerationVerdict(ModerationVerdict.Action.BLUR, reported, detected.modelVersion(),
                    "blurred: " + describe(blocked), at);
        }
        return new ModerationVerdict(ModerationVerdict.Action.ALLOW, reported, detected.modelVersion(),
                reported.isEmpty() ? "no moderation labels" : "no label in a blocked category", at);
    }

    private static List<ModerationLabel> matching(List<ModerationLabel> labels, Set<String> categories) {
        List<ModerationLabel> hits = new ArrayList<>();
        for (ModerationLabel l : labels) {
            if (categories.contains(l.name().toLowerCase(Locale.ROOT))
                    || categories.contains(l.parentName().toLowerCase(Locale.ROOT))) {
                hits.add(l);
            }
        }
        return hits;
    }

    private static String describe(List<ModerationLabel> labels) {
        return labels.stream()
                .map(l -> String.format(Locale.ROOT, "%s (%.1f%%)", l.name(), l.confidence()))
                .collect(Collectors.joining(", "));
    }

    private static Set<String> lower(Set<String> names) {
        return names.stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }
}
