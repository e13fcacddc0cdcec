package io.imagescaler.handler.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ModerationPolicyTest {
    private static final Instant AT = Instant.parse("2026-11-23T12:00:00Z");
    private final ModerationPolicy policy = new ModerationPolicy(70, Set.of("Explicit Nudity", "Violence"),
            Set.of("hate symbols"));

    @Test
    void aLabelInABlockedCategoryBlursByNameOrParent() {
        var byParent = policy.judge(new Detected(List.of(
                new ModerationLabel("Graphic Violence Or Gore", "violence", 80)), "7.0"), AT);
        assertEquals(ModerationVerdict.Action.BLUR, byParent.action());
        assertEquals("blurred: Graphic Violence Or Gore (80.0%)", byParent.reason());
        assertEquals("7.0", byParent.modelVersion());
        assertEquals(AT, byParent.checkedAt());
    }

    @Test
    void labelsBelowTheMinimumOrOutsideTheCategoriesAllow() {
        var weak = policy.judge(new Detected(List.of(new ModerationLabel("Explicit Nudity", "", 69.9)), "7.0"), AT);
        assertEquals(ModerationVerdict.Action.ALLOW, weak.action());
        assertEquals(0, weak.labels().size(), "labels under the minimum are not kept");
        var other = policy.judge(new Detected(List.of(new ModerationLabel("Alcohol", "", 99)), "7.0"), AT);
        assertEquals(ModerationVerdict.Action.ALLOW, other.action());
        assertEquals(1, other.labels().size(), "reported labels are kept even when they allow");
    }

    @Test
    void rejectionWinsOverBlurAndLabelsAreOrderedByConfidence() {
        var v = policy.judge(new Detected(List.of(new ModerationLabel("Violence", "", 75),
                new ModerationLabel("Hate Symbols", "", 90), new ModerationLabel("Nazi Party", "Hate Symbols", 95)),
                null), AT);
        assertEquals(ModerationVerdict.Action.REJECT, v.action());
        assertEquals("rejected: Nazi Party (95.0%), Hate Symbols (90.0%)", v.reason());
        assertEquals("unknown", v.modelVersion());
        assertEquals(List.of("Nazi Party", "Hate Symbols", "Violence"), v.labels().stream().map(ModerationLabel::name).toList());
    }

    @Test
    void confidenceOutOfRangeFailsAtStart() {
        assertThrows(IllegalArgumentException.class, () -> new ModerationPolicy(101, Set.of(), Set.of()));
        assertThrows(IllegalArgumentException.class, () -> new ModerationPolicy(Double.NaN, Set.of(), Set.of()));
    }
}
