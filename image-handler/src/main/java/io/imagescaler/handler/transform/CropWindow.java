package io.imagescaler.handler.transform;

import io.imagescaler.spec.Position;

/**
 * Where a {@code cover} crop cuts the resized image, for both engines: the canvas clipped to the image,
 * placed at a compass point, centred on a focal point (kept inside), or where the engine's attention
 * measure finds the most detail ({@code pos_smart}; only that part depends on the pixels).
 */
public record CropWindow(int x, int y, int width, int height) {

    /** The engine's attention measure: the top-left corner of the most detailed width x height window. */
    @FunctionalInterface
    public interface MostDetailed {
        int[] window(int width, int height);
    }

    /** Null when the image already fits the canvas (nothing to cut). */
    public static CropWindow of(Position position, int imageWidth, int imageHeight, int canvasWidth,
                                int canvasHeight, MostDetailed mostDetailed) {
        if (canvasWidth >= imageWidth && canvasHeight >= imageHeight) {
            return null;
        }
        int cw = Math.min(canvasWidth, imageWidth);
        int ch = Math.min(canvasHeight, imageHeight);
        int w = imageWidth;
        int h = imageHeight;
        return switch (position) {
            case Position.Focal f -> new CropWindow(clamp((int) Math.round(f.x() * w - cw / 2.0), w - cw),
                    clamp((int) Math.round(f.y() * h - ch / 2.0), h - ch), cw, ch);
            case Position.Smart s -> {
                int[] at = mostDetailed.window(cw, ch);
                yield new CropWindow(at[0], at[1], cw, ch);
            }
            case Position.Compass c -> {
                String p = c.point().name();
                yield new CropWindow(p.endsWith("W") ? 0 : p.endsWith("E") ? w - cw : (w - cw) / 2,
                        p.startsWith("N") ? 0 : p.startsWith("S") ? h - ch : (h - ch) / 2, cw, ch);
            }
        };
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(v, max));
    }
}
