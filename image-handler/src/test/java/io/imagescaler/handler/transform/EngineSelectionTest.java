package io.imagescaler.handler.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.handler.transform.EngineSelection.Choice;
import io.imagescaler.handler.transform.portable.PortablePipeline;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EngineSelectionTest {

    @Test
    void theSettingIsNativeJavaOrAuto() {
        assertEquals(Choice.AUTO, Choice.parse(null));
        assertEquals(Choice.AUTO, Choice.parse(" "));
        assertEquals(Choice.JAVA, Choice.parse("java"));
        assertEquals(Choice.NATIVE, Choice.parse("Native"));
        var e = assertThrows(IllegalArgumentException.class, () -> Choice.parse("opencv"));
        assertThat(e.getMessage()).contains("IMAGE_ENGINE").contains("opencv");
    }

    @Test
    void autoAndNativeTakeTheNativeEngineWhereItWorks() {
        assertThat(EngineSelection.select(Choice.AUTO)).isInstanceOf(Pipeline.class);
        assertThat(EngineSelection.select(Choice.NATIVE)).isInstanceOf(Pipeline.class);
        assertThat(EngineSelection.select(Choice.JAVA)).isInstanceOf(PortablePipeline.class);
    }

    /**
     * A JVM where the natives cannot load (JavaCPP told it runs on linux-ppc64le, for which no OpenCV jar
     * is on the classpath): auto falls back to the Java engine and still serves a JPEG in every format;
     * native refuses to start.
     */
    @Test
    void withoutTheNativesAutoFallsBackToJavaAndNativeRefusesToStart() throws Exception {
        String jpeg = TestImages.repoTestdata().resolve("images/jpeg-tiny-40x60-orient3.jpg").toString();
        Result auto = run("auto", jpeg);
        assertEquals(0, auto.exit, auto.output);
        assertThat(auto.output).contains("engine=PortablePipeline")
                .contains("falling back to the pure-Java engine")
                .contains("jpg=40x60").contains("png=40x60").contains("webp=40x60");
        Result strict = run("native", jpeg);
        assertTrue(strict.exit != 0, strict.output);
        assertThat(strict.output).contains("IMAGE_ENGINE=native, but the OpenCV natives do not work here");
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String setting, String image) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = List.of(java, "-Dorg.bytedeco.javacpp.platform=linux-ppc64le",
                "-Dorg.bytedeco.javacpp.cachedir=" + Path.of("target", "javacpp-elsewhere").toAbsolutePath(),
                "-cp", classpath.replace(File.pathSeparator + File.pathSeparator, File.pathSeparator),
                WithoutNatives.class.getName(), setting, image);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + out);
        return new Result(p.exitValue(), out);
    }

    /** The child JVM: select the engine as the handler does, render one image to each format, print what happened. */
    public static final class WithoutNatives {
        public static void main(String[] args) throws Exception {
            EngineSelection.Selected selected = EngineSelection.choose(Choice.parse(args[0]));
            TransformEngine engine = selected.engine();
            System.out.println(selected.why());
            System.out.println("engine=" + engine.getClass().getSimpleName());
            byte[] src = java.nio.file.Files.readAllBytes(Path.of(args[1]));
            SourceInfo info = engine.probe(src, Limits.DEFAULT);
            for (ImageFormat f : List.of(ImageFormat.JPG, ImageFormat.PNG, ImageFormat.WEBP)) {
                Rendered r = engine.render(src, info, TransformSpec.parse("w_100"), f, Limits.DEFAULT);
                var decoded = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(r.bytes()));
                System.out.println(f.extension() + "=" + decoded.getWidth() + "x" + decoded.getHeight());
            }
        }
    }
}
