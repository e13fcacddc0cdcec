package io.imagescaler.moderation.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagescaler.handler.moderation.Detected;
import io.imagescaler.handler.moderation.Moderator;
import io.imagescaler.handler.moderation.ScreenedModerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The pre-filter as the Lambda wires it: the screen found by ServiceLoader, the real model behind it. */
class NsfwScreenTest {

    @Test
    void withThisModuleOnTheClasspathThePreFilterSkipsRekognitionForASafePhotoOnly() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Moderator rekognition = (image, min) -> {
            calls.incrementAndGet();
            return new Detected(List.of(), "7.0");
        };
        Moderator screened = ScreenedModerator.around(rekognition, 0.98);
        byte[] photo = Files.readAllBytes(Path.of("..", "testdata", "images", "jpeg-tiny-40x60-orient3.jpg"));
        Detected d = screened.detect(photo, 75);       // Neutral 0.996 + Drawing 0.003
        assertThat(d.modelVersion()).startsWith(NsfwModel.VERSION);
        assertThat(calls).hasValue(0);
        byte[] pattern = Files.readAllBytes(Path.of("..", "testdata", "images", "png-tiny-16x16.png"));
        screened.detect(pattern, 75);                   // safe 0.90: not clear enough
        assertThat(calls).hasValue(1);
        screened.detect("not an image".getBytes(), 75); // unreadable: Rekognition decides
        assertThat(calls).hasValue(2);
    }
}
