package io.imagescaler.handler.transform;

import io.imagescaler.handler.transform.portable.PortablePipeline;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides which {@link TransformEngine} serves: the native {@link Pipeline} when the
 * OpenCV natives load and work here, else the pure-Java {@link PortablePipeline}, which serves every
 * request too, slower (and WebP lossless). Natives can fail on an unsupported architecture, a libc they
 * were not built for, or an extraction directory that cannot be written; {@code auto} finds out by
 * rendering a small image to every native output format, once, at start.
 */
public final class EngineSelection {
    private static final Logger LOG = LoggerFactory.getLogger(EngineSelection.class);

    /** {@code IMAGE_ENGINE}: native (fail at start without the natives), java, or auto (the default). */
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

    /** The engine that serves, and the one line that says which and why. */
    public record Selected(TransformEngine engine, String why) {
    }

    /** Selects the engine and logs why (a warning when the natives were wanted but do not work). */
    public static TransformEngine select(Choice choice) {
        Selected selected = choose(choice);
        if (selected.engine() instanceof PortablePipeline && choice == Choice.AUTO) {
            LOG.warn(selected.why());
        } else {
            LOG.info(selected.why());
        }
        return selected.engine();
    }

    public static Selected choose(Choice choice) {
        if (choice == Choice.JAVA) {
            TransformEngine engine = new PortablePipeline();
            return new Selected(engine, "transform engine: the " + engine + " (IMAGE_ENGINE=java)");
        }
        try {
            return new Selected(workingNative(), "transform engine: native (OpenCV with libjpeg-turbo, libpng, libwebp)");
        } catch (LinkageError | RuntimeException e) {
            // LinkageError: UnsatisfiedLinkError / NoClassDefFoundError / ExceptionInInitializerError
            // from the natives' loader; RuntimeException: a codec that loaded but does not work.
            String why = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (choice == Choice.NATIVE) {
                throw new IllegalStateException("IMAGE_ENGINE=native, but the OpenCV natives do not work here ("
                        + why + ")", e);
            }
            TransformEngine engine = new PortablePipeline();
            return new Selected(engine, "transform engine: the OpenCV natives do not work here (" + why
                    + "); falling back to the " + engine + ": every request is served, slower, and WebP is lossless");
        }
    }

    /** The native pipeline, after it rendered a small image to JPEG, PNG and WebP (loading every native library). */
    static TransformEngine workingNative() {
        Pipeline pipeline = new Pipeline();
        byte[] png = sample();
        SourceInfo info = pipeline.probe(png, Limits.DEFAULT);
        for (ImageFormat format : new ImageFormat[] {ImageFormat.JPG, ImageFormat.PNG, ImageFormat.WEBP}) {
            Rendered out = pipeline.render(png, info, TransformSpec.parse("w_8"), format, Limits.DEFAULT);
            if (out.bytes() == null || out.bytes().length == 0) {
                throw new IllegalStateException("the native " + format.extension() + " encoder wrote nothing");
            }
        }
        return pipeline;
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
