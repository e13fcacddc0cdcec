package io.imagescaler.samples.mobile;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Which variant a phone asks for: the image fills the screen's width, so it needs
 * {@code ceil(widthDp × dpr)} physical pixels. With presets it asks for the smallest named preset at least
 * that wide (the largest when none is); with a width ladder it asks for the smallest ladder width at least
 * that wide. Asking for exactly {@code widthDp × dpr} would mint one variant per device model; a short list
 * of sizes keeps the generated bucket and CDN cache hot (and is what a deployment with
 * {@code PRESETS_ONLY} or {@code WIDTH_LADDER} accepts).
 */
public final class ScreenFit {
    /** The local edge's default presets and their widths (README, {@code PRESETS}). */
    public static final Map<String, Integer> DEFAULT_PRESETS = Map.of("avatar", 96, "thumb", 150, "card", 600,
            "hero", 1600);

    private ScreenFit() {
    }

    /** What to ask for, and why (printed to the user). */
    public record Choice(String transform, int pixelsNeeded, int pixelsAsked, String reason) {
    }

    public static int pixelsNeeded(int widthDp, double dpr) {
        if (widthDp < 1 || dpr <= 0 || dpr > 4) {
            throw new IllegalArgumentException("a screen is at least 1 dp wide with a DPR in (0, 4], got "
                    + widthDp + " dp at " + dpr);
        }
        return (int) Math.ceil(widthDp * dpr - 1e-9);
    }

    public static Choice preset(int widthDp, double dpr, Map<String, Integer> presets) {
        int need = pixelsNeeded(widthDp, dpr);
        List<Map.Entry<String, Integer>> bySize = presets.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .toList();
        Map.Entry<String, Integer> pick = bySize.stream().filter(e -> e.getValue() >= need).findFirst()
                .orElse(bySize.getLast());
        String why = pick.getValue() >= need ? "smallest preset at least " + need + " px wide"
                : "no preset is " + need + " px wide; the largest";
        return new Choice("p_" + pick.getKey(), need, pick.getValue(), why);
    }

    public static Choice ladder(int widthDp, double dpr, List<Integer> ladder) {
        int need = pixelsNeeded(widthDp, dpr);
        List<Integer> steps = ladder.stream().sorted(Comparator.naturalOrder()).toList();
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("an empty width ladder");
        }
        int pick = steps.stream().filter(w -> w >= need).findFirst().orElse(steps.getLast());
        String why = pick >= need ? "smallest ladder width at least " + need + " px"
                : "no ladder width is " + need + " px; the largest";
        return new Choice("w_" + pick, need, pick, why);
    }
}
