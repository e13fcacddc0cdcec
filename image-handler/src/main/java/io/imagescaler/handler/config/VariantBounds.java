package io.imagescaler.handler.config;

import io.imagescaler.handler.error.ImageScalerException.InvalidRequest;
import io.imagescaler.spec.TransformSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How many variants of one image may exist: a wildcard-signed URL lets its holder ask for any transform
 * under the image, so a deployment can pin widths to a ladder ({@code WIDTH_LADDER=320,640,960}) or allow
 * named presets only ({@code PRESETS_ONLY=true}). Anything else is a 400 naming what is allowed, answered
 * before any storage is touched.
 *
 * @param widthLadder allowed values of {@code w}; empty = any width
 * @param presetsOnly only a bare preset ({@code p_thumb}) may be asked for, without tokens next to it
 */
public record VariantBounds(List<Integer> widthLadder, boolean presetsOnly) {
    public static final VariantBounds NONE = new VariantBounds(List.of(), false);

    public VariantBounds {
        widthLadder = List.copyOf(widthLadder);
        for (int w : widthLadder) {
            if (w < 1 || w > TransformSpec.MAX_SIDE) {
                throw new IllegalArgumentException("configuration: WIDTH_LADDER values must be 1.." + TransformSpec.MAX_SIDE
                        + ", got " + w);
            }
        }
    }

    /** {@code 320,640,960}; null or blank = no ladder. */
    public static List<Integer> parseLadder(String spelled) {
        List<Integer> ladder = new ArrayList<>();
        if (spelled == null || spelled.isBlank()) {
            return ladder;
        }
        for (String step : spelled.split(",")) {
            try {
                ladder.add(Integer.parseInt(step.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("configuration: WIDTH_LADDER is comma-separated widths, got '"
                        + spelled + "'");
            }
        }
        return ladder.stream().distinct().sorted().toList();
    }

    /** Passes a transform this deployment serves; 400 (naming the allowed values) for any other. */
    public void check(TransformSpec asked, Set<String> presetNames) {
        if (presetsOnly) {
            boolean barePreset = asked.preset() != null
                    && asked.equals(TransformSpec.builder().preset(asked.preset()).build());
            if (!barePreset) {
                throw new InvalidRequest("this deployment serves named presets only: ask for p_{name}."
                        + "{format} with one of " + String.join(", ", presetNames.stream().sorted().toList())
                        + " (got '" + asked.canonical() + "')");
            }
        }
        if (!widthLadder.isEmpty() && asked.width() != TransformSpec.NONE.width()
                && !widthLadder.contains(asked.width())) {
            throw new InvalidRequest("width " + asked.width() + " is not on this deployment's width ladder; "
                    + "allowed widths: " + widthLadder.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b)
                    .orElse(""));
        }
    }
}
