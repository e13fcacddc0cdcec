package io.imagescaler.handler.transform;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagescaler.handler.transform.vips.VipsBackend;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import org.junit.jupiter.api.Test;

/** WEBP_EFFORT and AVIF_EFFORT reach libvips' encoders; the default is sharp's, as before. */
class EncoderEffortTest {

    private static final byte[] PHOTO = TestImages.image("jpeg-cmyk-swop-icc-channel.jpg");
    private static final TransformSpec W320 = TransformSpec.parse("w_320");

    private static byte[] render(Pipeline engine, ImageFormat format) {
        Rendered out = engine.render(PHOTO, engine.probe(PHOTO, Limits.DEFAULT), W320, format, Limits.DEFAULT);
        SourceInfo back = engine.probe(out.bytes(), Limits.DEFAULT);
        assertThat(back.width()).isEqualTo(320);
        assertThat(back.height()).isEqualTo(out.height());
        return out.bytes();
    }

    @Test
    void aLowerEffortIsAnotherEncodingOfTheSameImage() {
        assertThat(EncoderEffort.DEFAULT).as("sharp's effort").isEqualTo(new EncoderEffort(4, 4));
        Pipeline standard = new Pipeline();
        Pipeline fast = new Pipeline(new VipsBackend(new EncoderEffort(0, 2)));
        assertThat(render(fast, ImageFormat.WEBP)).isNotEqualTo(render(standard, ImageFormat.WEBP));
        assertThat(render(fast, ImageFormat.AVIF)).isNotEqualTo(render(standard, ImageFormat.AVIF));
        // formats without an effort setting are untouched
        assertThat(render(fast, ImageFormat.JPG)).isEqualTo(render(standard, ImageFormat.JPG));
    }
}
