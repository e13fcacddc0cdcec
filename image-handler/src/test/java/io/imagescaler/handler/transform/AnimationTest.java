package io.imagescaler.handler.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Node;

/** Animated in, animated out, read back by independent parsers (the JDK's GIF reader, a RIFF walk for WebP). */
class AnimationTest {
    private final Pipeline engine = new Pipeline();
    private final byte[] earth = TestImages.image("gif-animated-earth-44f.gif");

    private byte[] render(byte[] src, String transform, ImageFormat format, Limits limits) {
        return engine.render(src, engine.probe(src, limits), TransformSpec.parse(transform), format, limits).bytes();
    }

    /** Canvas size, frame count and each frame's duration (ms) of an encoded animation. */
    record Frames(int width, int height, List<Integer> durations) {
        int count() {
            return durations.size();
        }
    }

    static Frames frames(byte[] encoded) throws Exception {
        return new String(encoded, 0, 4, StandardCharsets.ISO_8859_1).equals("RIFF") ? webp(encoded) : gif(encoded);
    }

    private static Frames webp(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int width = 0;
        int height = 0;
        List<Integer> durations = new ArrayList<>();
        for (int at = 12; at + 8 <= b.length; ) {
            String id = new String(b, at, 4, StandardCharsets.ISO_8859_1);
            int size = buf.getInt(at + 4);
            int body = at + 8;
            if (id.equals("VP8X")) {
                width = 1 + u24(b, body + 4);
                height = 1 + u24(b, body + 7);
            } else if (id.equals("ANMF")) {
                durations.add(u24(b, body + 12));
            }
            at = body + size + (size & 1);
        }
        return new Frames(width, height, durations.isEmpty() ? List.of(0) : durations);
    }

    private static int u24(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16;
    }

    private static Frames gif(byte[] b) throws Exception {
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(b))) {
            reader.setInput(in);
            int n = reader.getNumImages(true);
            IIOMetadataNode stream = (IIOMetadataNode) reader.getStreamMetadata().getAsTree("javax_imageio_gif_stream_1.0");
            Node screen = stream.getElementsByTagName("LogicalScreenDescriptor").item(0);
            int w = Integer.parseInt(screen.getAttributes().getNamedItem("logicalScreenWidth").getNodeValue());
            int h = Integer.parseInt(screen.getAttributes().getNamedItem("logicalScreenHeight").getNodeValue());
            List<Integer> durations = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                IIOMetadataNode image = (IIOMetadataNode) reader.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0");
                var gce = image.getElementsByTagName("GraphicControlExtension");
                durations.add(gce.getLength() == 0 ? 0
                        : 10 * Integer.parseInt(gce.item(0).getAttributes().getNamedItem("delayTime").getNodeValue()));
            }
            return new Frames(w, h, durations);
        } finally {
            reader.dispose();
        }
    }

    @Test
    void anAnimatedGifStaysAnimatedAsGifAndAsWebp() throws Exception {
        Frames source = frames(earth);
        assertEquals(44, source.count());
        for (ImageFormat format : new ImageFormat[] {ImageFormat.GIF, ImageFormat.WEBP}) {
            byte[] out = render(earth, "w_100", format, Limits.DEFAULT);
            Files.createDirectories(Path.of("target"));
            Files.write(Path.of("target", "animated-earth-w100." + format.extension()), out);
            Frames animation = frames(out);
            assertEquals(44, animation.count(), format + " frames");
            assertEquals(100, animation.width(), format + " width");
            assertEquals(100, animation.height(), format + " height");
            assertEquals(source.durations(), animation.durations(), format + " durations");
        }
    }

    @Test
    void framesDifferAndFollowTheSource() throws Exception {
        // The globe turns: frame 10 differs from frame 0 in the output as it does in the source
        // (read back as whole pictures by the JDK's GIF reader, which composites nothing: the
        // encoder may store later frames as changed rectangles, so compare the first frames' crops).
        byte[] out = render(earth, "w_100", ImageFormat.GIF, Limits.DEFAULT);
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(out))) {
            reader.setInput(in);
            Img first = Img.of(reader.read(0));
            Img tenth = Img.of(reader.read(10));
            assertTrue(tenth.cols() > 0 && tenth.rows() > 0);
            int w = Math.min(first.cols(), tenth.cols());
            int h = Math.min(first.rows(), tenth.rows());
            double diff = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    diff += Math.abs(first.get(y, x, 1) - tenth.get(y, x, 1));
                }
            }
            assertTrue(diff / (w * h) > 2 || tenth.cols() < 100 || tenth.rows() < 100,
                    "frames change: mean difference " + diff / (w * h));
        } finally {
            reader.dispose();
        }
    }

    @Test
    void aSmartCoverCropCutsEveryFrameAtTheSameWindow() throws Exception {
        Frames animation = frames(render(earth, "w_80,h_40,fit_cover,pos_smart", ImageFormat.WEBP, Limits.DEFAULT));
        assertEquals(44, animation.count());
        assertEquals(80, animation.width());
        assertEquals(40, animation.height());
    }

    @Test
    void stillFormatsAndOversizedAnimationsGetTheFirstFrame() throws Exception {
        byte[] jpeg = render(earth, "w_100", ImageFormat.JPG, Limits.DEFAULT);
        assertEquals(100, TestImages.decode(jpeg).cols());
        // 44 frames of 400x400 are 7 MP; with a 5 MP budget the animation is served as one frame.
        Limits small = new Limits(5_000_000, 100, 8192);
        assertEquals(1, frames(render(earth, "w_100", ImageFormat.WEBP, small)).count());
        assertEquals(44, frames(render(earth, "w_100", ImageFormat.WEBP, Limits.DEFAULT)).count());
    }

    @Test
    void anAnimatedWebpStaysAnimated() throws Exception {
        byte[] webp = render(earth, "w_200", ImageFormat.WEBP, Limits.DEFAULT);
        SourceInfo info = engine.probe(webp, Limits.DEFAULT);
        assertEquals(SourceFormat.WEBP, info.format());
        assertEquals(44, info.frames());
        Frames animation = frames(render(webp, "w_50", ImageFormat.GIF, Limits.DEFAULT));
        assertEquals(44, animation.count());
        assertEquals(50, animation.width());
    }
}
