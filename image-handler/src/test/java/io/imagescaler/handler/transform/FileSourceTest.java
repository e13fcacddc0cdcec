package io.imagescaler.handler.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imagescaler.handler.error.ImageScalerException;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large uploads are probed and decoded from a file (the probes walk it mapped, the decoders stream it),
 * small ones from memory: both must say and render exactly the same, and refuse the same hostile files.
 */
class FileSourceTest {
    private final Pipeline engine = new Pipeline();

    @TempDir
    Path dir;

    @Test
    void everyFixtureProbesAndRendersTheSameFromAFileAsFromMemory() throws Exception {
        List<Path> fixtures = new ArrayList<>(TestImages.files(TestImages.repoTestdata().resolve("images")));
        TestImages.sharedTestdata().ifPresent(shared -> fixtures.addAll(TestImages.files(shared.resolve("images"))));
        int checked = 0;
        for (Path fixture : fixtures) {
            byte[] bytes = TestImages.read(fixture);
            // in-repo and ../shared fixtures share some names
            Path file = Files.copy(fixture, dir.resolve(checked + "-" + fixture.getFileName()),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            SourceInfo fromMemory;
            try {
                fromMemory = engine.probe(bytes, Limits.DEFAULT);
            } catch (ImageScalerException e) {
                continue;   // refused either way: the next test covers refusals
            }
            assertEquals(fromMemory, engine.probe(file, Limits.DEFAULT), fixture.toString());
            TransformSpec spec = TransformSpec.parse("w_200,h_200");
            Rendered a = engine.render(bytes, fromMemory, spec, ImageFormat.PNG, Limits.DEFAULT);
            Rendered b = engine.render(file, fromMemory, spec, ImageFormat.PNG, Limits.DEFAULT);
            assertArrayEquals(a.bytes(), b.bytes(), "the same pixels from a file: " + fixture);
            checked++;
        }
        System.out.println("fixtures probed and rendered from files: " + checked);
        assertEquals(true, checked >= 5, "too few fixtures: " + checked);
    }

    @Test
    void hostileFilesAreRefusedTheSameFromAFile() throws Exception {
        for (Path bad : TestImages.files(TestImages.repoTestdata().resolve("bad"))) {
            byte[] bytes = TestImages.read(bad);
            Path file = Files.copy(bad, dir.resolve(bad.getFileName()));
            Class<? extends ImageScalerException> expected;
            try {
                engine.probe(bytes, Limits.DEFAULT);
                continue;   // header fine, caught at decode: not this test's concern
            } catch (ImageScalerException e) {
                expected = e.getClass();
            }
            var e = assertThrows(ImageScalerException.class, () -> engine.probe(file, Limits.DEFAULT), bad.toString());
            assertEquals(expected, e.getClass(), bad.toString());
        }
    }
}
