package io.imagescaler.handler.moderation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pre-filter decorator over an in-memory screen and model. */
class ScreenedModeratorTest {
    private final List<byte[]> asked = new ArrayList<>();
    private final Moderator rekognition = (image, minConfidence) -> {
        asked.add(image);
        return new Detected(List.of(new ModerationLabel("Violence", "", 90)), "7.0");
    };

    private static ModerationScreen screen(double safe) {
        return new ModerationScreen() {
            @Override
            public double safeProbability(byte[] image) {
                if (image.length == 0) throw new IllegalArgumentException("unreadable");
                return safe;
            }

            @Override
            public String modelVersion() {
                return "screen-1";
            }
        };
    }

    @Test
    void aClearlySafeImageSkipsTheWrappedModel() {
        Detected d = new ScreenedModerator(rekognition, screen(0.99), 0.98).detect(new byte[] {1}, 75);
        assertEquals(List.of(), d.labels());
        assertEquals("screen-1" + ScreenedModerator.SKIPPED_SUFFIX, d.modelVersion());
        assertTrue(asked.isEmpty(), "Rekognition was not asked");
    }

    @Test
    void anythingLessSafeGoesToTheWrappedModel() {
        Detected d = new ScreenedModerator(rekognition, screen(0.97), 0.98).detect(new byte[] {1}, 75);
        assertEquals("7.0", d.modelVersion());
        assertEquals("Violence", d.labels().get(0).name());
        assertEquals(1, asked.size());
        // exactly at the threshold counts as safe
        new ScreenedModerator(rekognition, screen(0.98), 0.98).detect(new byte[] {1}, 75);
        assertEquals(1, asked.size());
    }

    @Test
    void aScreenThatCannotReadTheImageLeavesItToTheWrappedModel() {
        Detected d = new ScreenedModerator(rekognition, screen(1.0), 0.5).detect(new byte[0], 75);
        assertEquals("7.0", d.modelVersion());
        assertEquals(1, asked.size());
    }

    @Test
    void askingForThePreFilterWithoutAScreenInThePackageFailsAtStart() {
        // image-handler alone carries no ModerationScreen: the plain Lambda jar must refuse, not pay silently
        var e = assertThrows(IllegalStateException.class, () -> ScreenedModerator.around(rekognition, 0.98));
        assertTrue(e.getMessage().contains("image-handler-prefilter-lambda.jar"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ScreenedModerator(rekognition, screen(1), 0));
    }
}
