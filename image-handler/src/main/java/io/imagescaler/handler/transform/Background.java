package io.imagescaler.handler.transform;

/**
 * The {@code bg_} colour: RRGGBB or RRGGBBAA hex; absent means white for JPEG, transparent otherwise.
 * Shared by both engines.
 */
public record Background(int r, int g, int b, int a) {

    static final Background WHITE = new Background(255, 255, 255, 255);
    static final Background TRANSPARENT = new Background(0, 0, 0, 0);

    public static Background of(String hex, boolean outputKeepsAlpha) {
        if (hex == null) {
            return outputKeepsAlpha ? TRANSPARENT : WHITE;
        }
        int r = Integer.parseInt(hex.substring(0, 2), 16);
        int g = Integer.parseInt(hex.substring(2, 4), 16);
        int b = Integer.parseInt(hex.substring(4, 6), 16);
        int a = hex.length() == 8 ? Integer.parseInt(hex.substring(6, 8), 16) : 255;
        return new Background(r, g, b, outputKeepsAlpha ? a : 255);
    }

    /**
     * Whether transparent pixels are composited over the background: always when the output cannot
     * carry alpha, otherwise only when an opaque {@code bg_} colour was asked for.
     */
    public static boolean replacesAlpha(String hex, boolean outputKeepsAlpha) {
        return !outputKeepsAlpha || (hex != null && of(hex, true).opaque());
    }

    public boolean opaque() {
        return a == 255;
    }

}
