package io.imagescaler.handler.transform;

import io.imagescaler.handler.transform.portable.JavaBackend;
import io.imagescaler.handler.transform.vips.VipsBackend;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides which {@link Backend} the {@link Pipeline} runs on: libvips when it loads
 * and renders here, else, off Lambda, the pure-Java fallback. {@code auto} finds out by rendering a
 * small image to every format the library writes, once, at start (SnapStart takes the snapshot after
 * that, so a restored function renders without loading anything). On Lambda a fallback is an error,
 * not a mode: the function fails its init unless {@code IMAGE_ENGINE=java} asks for it on purpose.
 */
public final class EngineSelection {
    private static final Logger LOG = LoggerFactory.getLogger(EngineSelection.class);

    /** {@code IMAGE_ENGINE}: native (fail at start without libvips), java, or auto (the default). */
    public enum Choice {
        NATIVE, JAVA, AUTO;

        public static Choice parse(String value) {
            if (value == null || value.isBlank()) {
                return AUTO;
            }
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("configuration: IMAGE_ENGINE is native, java or auto, got '"
                        + value + "'");
            }
        }
    }

    private EngineSelection() {
    }

    /** The engine that serves, the short name logs and metrics carry, and the one line that says why. */
    public record Selected(Pipeline engine, String name, String why) {
    }

    /** Selects the engine with sharp's encoder effort and logs why. */
    public static Pipeline select(Choice choice) {
        return select(choice, EncoderEffort.DEFAULT);
    }

    /** Selects the engine and logs why (a warning when libvips was wanted but does not work). */
    public static Pipeline select(Choice choice, EncoderEffort effort) {
        Selected selected = choose(choice, effort, System.getenv("AWS_LAMBDA_FUNCTION_NAME") != null);
        if (!selected.engine().backend().finalOutput() && choice == Choice.AUTO) {
            LOG.warn(selected.why());
        } else {
            LOG.info(selected.why());
        }
        return selected.engine();
    }

    /** {@link #choose(Choice, EncoderEffort, boolean)} with sharp's encoder effort. */
    public static Selected choose(Choice choice, boolean onLambda) {
        return choose(choice, EncoderEffort.DEFAULT, onLambda);
    }

    /**
     * @param effort   how hard libvips' WebP and AVIF encoders work
     * @param onLambda whether a fallback would be an error rather than a degraded mode
     */
    public static Selected choose(Choice choice, EncoderEffort effort, boolean onLambda) {
        if (choice == Choice.JAVA) {
            Pipeline engine = new Pipeline(new JavaBackend());
            return new Selected(engine, "java", "transform engine: the " + engine + " (IMAGE_ENGINE=java)");
        }
        try {
            VipsBackend vips = new VipsBackend(effort);
            String name = vips.name(); // loads and initialises the library, or says why it cannot
            Pipeline engine = working(new Pipeline(vips));
            return new Selected(engine, "libvips", "transform engine: " + name + " from " + vips.origin());
        } catch (LinkageError | RuntimeException e) {
            // LinkageError: UnsatisfiedLinkError / ExceptionInInitializerError from loading the library;
            // RuntimeException: no library for this platform, or an encoder that loaded but does not work.
            Throwable cause = e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
            String why = cause.getClass().getSimpleName() + ": " + cause.getMessage();
            if (choice == Choice.NATIVE || onLambda) {
                throw new IllegalStateException("libvips does not work here (" + why + "); "
                        + (onLambda ? "on Lambda the pure-Java fallback is used only when IMAGE_ENGINE=java says so"
                        : "IMAGE_ENGINE=native refuses the fallback"), e);
            }
            Pipeline engine = new Pipeline(new JavaBackend());
            return new Selected(engine, "java", "transform engine: libvips does not work here (" + why
                    + "); falling back to the " + engine + ": slower, no AVIF or animation, output not cached for long");
        }
    }

    /** The pipeline, after it rendered a small image to every format its backend writes. */
    static Pipeline working(Pipeline pipeline) {
        selfTest(pipeline, sample(), "w_8");
        return pipeline;
    }

    /** Renders {@code source} to every output format; returns one line per format, or throws. */
    static String selfTest(Pipeline pipeline, byte[] source, String transform) {
        StringBuilder report = new StringBuilder();
        SourceInfo info = pipeline.probe(source, Limits.DEFAULT);
        for (ImageFormat format : ImageFormat.values()) {
            if (!pipeline.backend().encodes().contains(format)) {
                continue;
            }
            Rendered out = pipeline.render(source, info, TransformSpec.parse(transform), format, Limits.DEFAULT);
            if (out.bytes() == null || out.bytes().length == 0) {
                throw new IllegalStateException("the " + format.extension() + " encoder wrote nothing");
            }
            report.append(String.format(Locale.ROOT, "%s %dx%d %d bytes%n", format.extension(), out.width(),
                    out.height(), out.bytes().length));
        }
        return report.toString();
    }

    /**
     * The engine self-test as a program, for checking a package on a target OS:
     * {@code java -cp image-handler-lambda.jar io.imagescaler.handler.transform.EngineSelection PHOTO}
     * renders the photo to every format on libvips (never the fallback) and exits 0, or prints why not
     * and exits 1.
     */
    public static void main(String[] args) throws Exception {
        try {
            VipsBackend vips = new VipsBackend();
            Pipeline pipeline = new Pipeline(vips);
            byte[] photo = args.length > 0 ? Files.readAllBytes(Path.of(args[0])) : sample();
            System.out.println("engine: " + vips.name() + " from " + vips.origin());
            System.out.print(selfTest(pipeline, photo, args.length > 1 ? args[1] : "w_400"));
            System.out.println("self-test passed");
        } catch (Throwable t) {
            System.out.println("self-test FAILED: " + t);
            t.printStackTrace(System.out);
            System.exit(1);
        }
    }

    /**
     * A 16x16 RGBA gradient PNG, as bytes: drawing and encoding it with AWT and ImageIO would load both
     * at every start only to test the natives.
     */
    private static final String SAMPLE_PNG = "iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAABJ0lEQVR42hXMwYBFIQAAwIfwEUIIIYQQ"
            + "QgghhBBCCCGEEELIYHc6zHW+72t/PwKRRKZQaXQGk8XmcPm+n4BAJJEpVBqdwWSxOdzfC4KAQCSRKVQancFksTnc8IIoIBBJZAqVRmcw"
            + "WWwON74gCQhEEplCpdEZTBabw00vyAICkUSmUGl0BpPF5nDzC4qAQCSRKVQancFksTnc8oIqIBBJZAqVRmcwWWwOt76gCQhEEplCpdEZ"
            + "TBabw20v6AICkUSmUGl0BpPF5nD7C4aAQCSRKVQancFksTnc8YIpIBBJZAqVRmcwWWwOd75gCQhEEplCpdEZTBabw10v2AICkUSmUGl0"
            + "BpPF5nD3C46AQCSRKVQancFksTnc84IrIBBJZAqVRmcwWWwOl39OS28fFvYVWwAAAABJRU5ErkJggg==";

    private static byte[] sample() {
        return java.util.Base64.getDecoder().decode(SAMPLE_PNG);
    }
}
