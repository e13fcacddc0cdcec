package io.imagescaler.handler.transform;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecodeanimation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

class AnimationTest {
    private final Pipeline engine = new Pipeline();
    private final byte[] earth = TestImages.image("gif-animated-earth-44f.gif");

    private byte[] render(byte[] src, String transform, ImageFormat format, Limits limits) {
        return engine.render(src, engine.probe(src, limits), TransformSpec.parse(transform), format, limits).bytes();
    }

    private static org.bytedeco.opencv.global.opencv_imgcodecs.Animation frames(byte[] encoded) {
        var animation = new org.bytedeco.opencv.global.opencv_imgcodecs.Animation();
        assertTrue(imdecodeanimation(new Mat(1, encoded.length, CV_8UC1, new BytePointer(encoded)), animation));
        return animation;
    }

    @Test
    void anAnimatedGifStaysAnimatedAsGifAndAsWebp() throws Exception {
        var source = frames(earth);
        for (ImageFormat format : new ImageFormat[] {ImageFormat.GIF, ImageFormat.WEBP}) {
            byte[] out = render(earth, "w_100", format, Limits.DEFAULT);
            Files.createDirectories(Path.of("target"));
            Files.write(Path.of("target", "animated-earth-w100." + format.extension()), out);
            var animation = frames(out);
            assertEquals(44, animation.frames().size(), format + " frames");
            for (long i = 0; i < animation.frames().size(); i++) {
                Mat frame = animation.frames().get(i);
                assertEquals(100, frame.cols(), format + " frame " + i);
                assertEquals(100, frame.rows(), format + " frame " + i);
                assertEquals(source.durations().get(i), animation.durations().get(i), format + " duration " + i);
            }
        }
    }

    @Test
    void framesDifferAndFollowTheSource() {
        var animation = frames(render(earth, "w_100", ImageFormat.WEBP, Limits.DEFAULT));
        var source = frames(earth);
        // The globe turns: frame 10 differs from frame 0 in the output as it does in the source.
        double outDiff = TestImages.meanAbsDiff(animation.frames().get(0), animation.frames().get(10));
        double srcDiff = TestImages.meanAbsDiff(source.frames().get(0), source.frames().get(10));
        assertTrue(srcDiff > 2 && outDiff > 2, "frames change: source " + srcDiff + ", output " + outDiff);
    }

    @Test
    void aSmartCoverCropCutsEveryFrameAtTheSameWindow() {
        var animation = frames(render(earth, "w_80,h_40,fit_cover,pos_smart", ImageFormat.GIF, Limits.DEFAULT));
        assertEquals(44, animation.frames().size());
        for (long i = 0; i < animation.frames().size(); i++) {
            assertEquals(80, animation.frames().get(i).cols());
            assertEquals(40, animation.frames().get(i).rows());
        }
    }

    @Test
    void stillFormatsAndOversizedAnimationsGetTheFirstFrame() {
        byte[] jpeg = render(earth, "w_100", ImageFormat.JPG, Limits.DEFAULT);
        assertEquals(100, TestImages.decode(jpeg).cols());
        // 44 frames of 400x400 are 7 MP; with a 5 MP budget the animation is served as one frame.
        Limits small = new Limits(5_000_000, 100, 8192);
        assertEquals(1, frames(render(earth, "w_100", ImageFormat.WEBP, small)).frames().size());
        assertEquals(44, frames(render(earth, "w_100", ImageFormat.WEBP, Limits.DEFAULT)).frames().size());
    }

    @Test
    void anAnimatedWebpStaysAnimated() {
        byte[] webp = render(earth, "w_200", ImageFormat.WEBP, Limits.DEFAULT);
        SourceInfo info = engine.probe(webp, Limits.DEFAULT);
        assertEquals(SourceFormat.WEBP, info.format());
        assertEquals(44, info.frames());
        var animation = frames(render(webp, "w_50", ImageFormat.GIF, Limits.DEFAULT));
        assertEquals(44, animation.frames().size());
        assertEquals(50, animation.frames().get(0).cols());
    }
}
