package io.imagescaler.sr;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The in-repo fixtures (testdata/, present in every clone) and small crops of them. */
final class TestImages {

    private TestImages() {
    }

    static Path testdata(String relative) {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path candidate = p.resolve("testdata").resolve(relative);
            if (Files.exists(candidate)) return candidate;
        }
        throw new IllegalStateException("testdata/" + relative + " not found above " + here);
    }

    static byte[] bytes(String relative) throws IOException {
        return Files.readAllBytes(testdata(relative));
    }

    static BufferedImage read(String relative) throws IOException {
        return ImageIO.read(testdata(relative).toFile());
    }

    /** An opaque RGB crop of the dice photo: real texture, edges and highlights. */
    static BufferedImage diceCrop(int x, int y, int w, int h) throws IOException {
        BufferedImage dice = read("images/png-rgba-dice-800x600.png");
        BufferedImage crop = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        crop.getGraphics().drawImage(dice.getSubimage(x, y, w, h), 0, 0, null);
        return crop;
    }

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) throw new IOException("no writer for " + format);
        return out.toByteArray();
    }
}
