package io.imagescaler.handler.transform;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** A PNG grid of outputs, one row per source, each cell fitted into 160x160 on grey: for a person to look at. */
final class ContactSheet {
    private static final int CELL = 164;
    private final List<List<Img>> rows = new ArrayList<>();

    void row(List<Img> cells) {
        rows.add(List.copyOf(cells));
    }

    void write(Path file) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(1);
        BufferedImage sheet = new BufferedImage(Math.max(1, columns * CELL), Math.max(1, rows.size() * CELL),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < rows.get(r).size(); c++) {
                Img img = rows.get(r).get(c);
                if (img.empty()) {
                    continue;
                }
                BufferedImage b = new BufferedImage(img.cols(), img.rows(), BufferedImage.TYPE_INT_ARGB);
                b.setRGB(0, 0, img.cols(), img.rows(), img.channels() == 4 ? img.argb() : opaque(img.argb()), 0, img.cols());
                double s = Math.min(160.0 / img.cols(), 160.0 / img.rows());
                int w = Math.max(1, (int) (img.cols() * s));
                int h = Math.max(1, (int) (img.rows() * s));
                g.drawImage(b, c * CELL + (CELL - w) / 2, r * CELL + (CELL - h) / 2, w, h, null);
            }
        }
        g.dispose();
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(sheet, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] opaque(int[] argb) {
        int[] out = argb.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] |= 0xff000000;
        }
        return out;
    }
}
