package io.imagescaler.moderation.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagescaler.handler.moderation.ModerationVerdict.Action;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The class-to-taxonomy mapping and the handler's verdicts on synthetic class scores. */
class RekognitionTaxonomyTest {

    @Test
    void pornAndHentaiAddUpToExplicitWithItsLevelTwoChild() {
        var answer = RekognitionTaxonomy.answer(new ClassScores(0.05, 0.40, 0.05, 0.45, 0.05), 50);
        assertThat(answer.labels()).extracting(RekognitionTaxonomy.Label::name, RekognitionTaxonomy.Label::parentName,
                        RekognitionTaxonomy.Label::taxonomyLevel)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("Explicit", "", 1),
                        org.assertj.core.groups.Tuple.tuple("Explicit Nudity", "Explicit", 2));
        assertThat(answer.labels()).allSatisfy(l ->
                assertThat(l.confidence()).isCloseTo(85.0, org.assertj.core.data.Offset.offset(1e-9)));
        assertThat(NsfwModelTest.verdict(new ClassScores(0.05, 0.40, 0.05, 0.45, 0.05)).action())
                .as("neither class alone reaches 75 %, together they do").isEqualTo(Action.BLUR);
    }

    @Test
    void sexyIsNonExplicitNudityWhichTheDefaultPolicyAllows() {
        ClassScores sexy = new ClassScores(0.01, 0.01, 0.08, 0.02, 0.88);
        var answer = RekognitionTaxonomy.answer(sexy, 50);
        assertThat(answer.labels()).extracting(RekognitionTaxonomy.Label::name, RekognitionTaxonomy.Label::parentName)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(RekognitionTaxonomy.NON_EXPLICIT, ""),
                        org.assertj.core.groups.Tuple.tuple(RekognitionTaxonomy.NON_EXPLICIT_NUDITY,
                                RekognitionTaxonomy.NON_EXPLICIT));
        assertThat(answer.labels().get(0).confidence()).isCloseTo(88.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(NsfwModelTest.verdict(sexy).action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void neutralAndDrawingGiveNoLabelButDrawingsAreIllustrated() {
        var neutral = RekognitionTaxonomy.answer(new ClassScores(0.02, 0.0, 0.97, 0.005, 0.005), 0.1);
        assertThat(neutral.labels()).extracting(RekognitionTaxonomy.Label::name)
                .containsExactly("Explicit", "Explicit Nudity", RekognitionTaxonomy.NON_EXPLICIT,
                        RekognitionTaxonomy.NON_EXPLICIT_NUDITY);
        assertThat(RekognitionTaxonomy.answer(new ClassScores(0.02, 0.0, 0.97, 0.005, 0.005), 50).labels()).isEmpty();
        var drawing = RekognitionTaxonomy.answer(new ClassScores(0.90, 0.03, 0.05, 0.01, 0.01), 50);
        assertThat(drawing.labels()).isEmpty();
        assertThat(drawing.contentTypes()).extracting(RekognitionTaxonomy.ContentType::name).containsExactly("Illustrated");
        assertThat(drawing.contentTypes().get(0).confidence()).isCloseTo(93.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(NsfwModelTest.verdict(new ClassScores(0.90, 0.03, 0.05, 0.01, 0.01)).action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void hentaiIsExplicitAndIllustrated() {
        ClassScores hentai = new ClassScores(0.10, 0.85, 0.03, 0.01, 0.01);
        var answer = RekognitionTaxonomy.answer(hentai, 50);
        assertThat(answer.labels()).extracting(RekognitionTaxonomy.Label::name).containsExactly("Explicit", "Explicit Nudity");
        assertThat(answer.labels().get(0).confidence()).isCloseTo(86.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(answer.contentTypes()).extracting(RekognitionTaxonomy.ContentType::name).containsExactly("Illustrated");
        assertThat(NsfwModelTest.verdict(hentai).action()).isEqualTo(Action.BLUR);
    }

    @Test
    void minConfidenceIsInclusiveAndBounded() {
        ClassScores scores = new ClassScores(0.0, 0.0, 0.25, 0.75, 0.0);
        assertThat(RekognitionTaxonomy.answer(scores, 75).labels()).hasSize(2);
        assertThat(RekognitionTaxonomy.answer(scores, Math.nextUp(75.0)).labels()).isEmpty();
        assertThat(RekognitionTaxonomy.answer(scores, 0).labels()).hasSize(4);
        assertThatThrownBy(() -> RekognitionTaxonomy.answer(scores, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RekognitionTaxonomy.answer(scores, 100.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void labelsComeHighestFirstEachParentBeforeItsChild() {
        var answer = RekognitionTaxonomy.answer(new ClassScores(0.0, 0.0, 0.1, 0.3, 0.6), 10);
        assertThat(answer.labels()).extracting(RekognitionTaxonomy.Label::taxonomyLevel).containsExactly(1, 2, 1, 2);
        assertThat(answer.labels().get(0).name()).isEqualTo(RekognitionTaxonomy.NON_EXPLICIT);
        assertThat(answer.labels().get(2).name()).isEqualTo("Explicit");
    }

    @Test
    void scoresComeFromTheModelsOutputInClassOrder() {
        ClassScores s = ClassScores.of(new float[] {0.1f, 0.2f, 0.3f, 0.15f, 0.25f});
        assertThat(s.get(NsfwClass.NEUTRAL)).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-7));
        assertThat(s.top()).isEqualTo(NsfwClass.NEUTRAL);
        assertThat(s.safe()).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-7));
        assertThatThrownBy(() -> ClassScores.of(new float[] {1f})).isInstanceOf(IllegalArgumentException.class);
        assertThat(List.of(NsfwClass.values())).extracting(NsfwClass::label)
                .containsExactly("Drawing", "Hentai", "Neutral", "Porn", "Sexy");
    }
}
