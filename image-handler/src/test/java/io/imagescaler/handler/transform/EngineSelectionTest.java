package io.imagescaler.handler.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.handler.transform.EngineSelection.Choice;
import io.imagescaler.handler.transform.portable.JavaBackend;
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
    void autoAndNativeTakeLibvipsWhereItWorks() {
        assertThat(EngineSelection.select(Choice.AUTO).backend().name()).startsWith("libvips 8.18");
        assertThat(EngineSelection.select(Choice.NATIVE).backend().finalOutput()).isTrue();
        assertThat(EngineSelection.select(Choice.JAVA).backend()).isInstanceOf(JavaBackend.class);
    }

    /**
     * A JVM that believes it runs on ppc64le, for which the jar carries no libvips: auto falls back to the
     * Java engine and still serves a JPEG in every format it writes; native refuses to start; and on Lambda
     * (AWS_LAMBDA_FUNCTION_NAME set) auto refuses too, unless IMAGE_ENGINE=java asks for the fallback.
     */
    @Test
    void withoutLibvipsAutoFallsBackOffLambdaAndFailsOnLambda() throws Exception {
        String jpeg = TestImages.repoTestdata().resolve("images/jpeg-tiny-40x60-orient3.jpg").toString();
        Result auto = run("auto", jpeg, false);
        assertEquals(0, auto.exit, auto.output);
        assertThat(auto.output).contains("engine=java")
                .contains("libvips does not work here").contains("ppc64le")
                .contains("jpg=40x60").contains("png=40x60").contains("webp=40x60");
        Result strict = run("native", jpeg, false);
        assertTrue(strict.exit != 0, strict.output);
        assertThat(strict.output).contains("IMAGE_ENGINE=native refuses the fallback");
        Result lambda = run("auto", jpeg, true);
        assertTrue(lambda.exit != 0, lambda.output);
        assertThat(lambda.output).contains("on Lambda the pure-Java fallback is used only when IMAGE_ENGINE=java");
        Result lambdaJava = run("java", jpeg, true);
        assertEquals(0, lambdaJava.exit, lambdaJava.output);
        assertThat(lambdaJava.output).contains("engine=java");
    }

    private record Result(int exit, String output) {
    }

    private static Result run(String setting, String image, boolean onLambda) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = List.of(java, "-Dos.arch=ppc64le", "--enable-native-access=ALL-UNNAMED",
                "-cp", classpath.replace(File.pathSeparator + File.pathSeparator, File.pathSeparator),
                WithoutNatives.class.getName(), setting, image, Boolean.toString(onLambda));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + out);
        return new Result(p.exitValue(), out);
    }

    /** The child JVM: select the engine as the handler does, render one image to each format, print what happened. */
    public static final class WithoutNatives {
        public static void main(String[] args) throws Exception {
            EngineSelection.Selected selected = EngineSelection.choose(Choice.parse(args[0]), Boolean.parseBoolean(args[2]));
            TransformEngine engine = selected.engine();
            System.out.println(selected.why());
            System.out.println("engine=" + selected.name());
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
