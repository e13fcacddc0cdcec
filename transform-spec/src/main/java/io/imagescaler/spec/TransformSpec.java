package io.imagescaler.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a variant asks of its original, as the transform segment of a variant path spells it
 * ({@code w_800,h_600,fit_cover,pos_smart,q_75}). One parser and one printer, shared by the handler
 * (which stores and caches under {@link #canonical()}) and the signer's URL builder.
 *
 * <p>Zero or null fields mean "not asked": {@code width == 0} is "any width", {@code quality == 0} is
 * the format's default, {@code background == null} is white for formats without alpha and transparent
 * otherwise, {@code preset == null} is no preset.
 */
public record TransformSpec(
        int width,
        int height,
        Fit fit,
        Position position,
        double dpr,
        int quality,
        Upscale upscale,
        String background,
        double blur,
        double sharpen,
        boolean gray,
        int rotate,
        boolean flip,
        boolean flop,
        String preset) {

    /** Static bounds of the language; deployments may set tighter ones (max output side, ladders). */
    public static final int MAX_SIDE = 16384;
    public static final double MAX_DPR = 4;
    public static final double MAX_BLUR = 100;
    public static final double MAX_SHARPEN = 10;
    /** The spelling of a transform that asks for nothing (the whole image, re-encoded). */
    public static final String EMPTY_SPELLING = "full";

    private static final Pattern INT = Pattern.compile("[0-9]{1,6}");
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3})?");
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{6}([0-9a-fA-F]{2})?");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    public static final TransformSpec NONE = new TransformSpec(0, 0, Fit.INSIDE, Position.CENTER, 1, 0,
            Upscale.NONE, null, 0, 0, false, 0, false, false, null);

    public TransformSpec {
        if (width < 0 || width > MAX_SIDE || height < 0 || height > MAX_SIDE) {
            throw new IllegalArgumentException("width and height must be within 1.." + MAX_SIDE);
        }
        if (fit == null || position == null || upscale == null) {
            throw new IllegalArgumentException("fit, position and upscale are required");
        }
        if (!(dpr >= 1 && dpr <= MAX_DPR)) {
            throw new IllegalArgumentException("dpr must be within 1..4");
        }
        if (quality < 0 || quality > 100) {
            throw new IllegalArgumentException("quality must be within 1..100");
        }
        if (background != null) {
            if (!HEX.matcher(background).matches()) {
                throw new IllegalArgumentException("background must be 6 or 8 hex digits");
            }
            background = background.toLowerCase(Locale.ROOT);
        }
        if (blur < 0 || blur > MAX_BLUR || sharpen < 0 || sharpen > MAX_SHARPEN) {
            throw new IllegalArgumentException("blur must be within 0.3..100 and sharpen within 0.1..10");
        }
        if (rotate != 0 && rotate != 90 && rotate != 180 && rotate != 270) {
            throw new IllegalArgumentException("rotate must be 90, 180 or 270");
        }
        if (preset != null && !NAME.matcher(preset).matches()) {
            throw new IllegalArgumentException("a preset name is lowercase letters, digits and '-'");
        }
    }

    /** Target width in pixels after the device pixel ratio (0 = not asked). */
    public int pixelWidth() {
        return (int) Math.round(width * dpr);
    }

    /** Target height in pixels after the device pixel ratio (0 = not asked). */
    public int pixelHeight() {
        return (int) Math.round(height * dpr);
    }

    public boolean isEmpty() {
        return canonicalTokens().isEmpty();
    }

    /** The one spelling this transform is stored and cached under; tokens in the language's key order. */
    public String canonical() {
        List<String> tokens = canonicalTokens();
        return tokens.isEmpty() ? EMPTY_SPELLING : String.join(",", tokens);
    }

    @Override
    public String toString() {
        return canonical();
    }

    private List<String> canonicalTokens() {
        List<String> t = new ArrayList<>();
        if (width > 0) t.add("w_" + width);
        if (height > 0) t.add("h_" + height);
        if (fit != Fit.INSIDE) t.add("fit_" + fit.token());
        if (!position.equals(Position.CENTER)) t.add("pos_" + position.token());
        if (dpr != 1) t.add("dpr_" + Numbers.format(dpr));
        if (quality > 0) t.add("q_" + quality);
        if (upscale != Upscale.NONE) t.add("up_" + upscale.token());
        if (background != null) t.add("bg_" + background);
        if (blur > 0) t.add("blur_" + Numbers.format(blur));
        if (sharpen > 0) t.add("sharpen_" + Numbers.format(sharpen));
        if (gray) t.add("gray");
        if (rotate != 0) t.add("rot_" + rotate);
        if (flip) t.add("flip");
        if (flop) t.add("flop");
        if (preset != null) t.add("p_" + preset);
        return t;
    }

    /**
     * Parses a transform segment written in any token order. Unknown keys, repeated keys, malformed
     * or out-of-range values throw {@link InvalidTransformException} naming the token.
     */
    public static TransformSpec parse(String segment) {
        if (segment == null || segment.isEmpty()) {
            throw new InvalidTransformException("", "the transform segment is empty");
        }
        if (segment.length() > 256) {
            throw new InvalidTransformException(segment.substring(0, 32) + "…", "the transform segment is too long");
        }
        Builder b = new Builder();
        if (segment.equals(EMPTY_SPELLING)) {
            return b.build();
        }
        Set<String> seen = new HashSet<>();
        for (String token : segment.split(",", -1)) {
            int sep = token.indexOf('_');
            String key = sep < 0 ? token : token.substring(0, sep);
            String value = sep < 0 ? null : token.substring(sep + 1);
            if (!seen.add(key)) {
                throw new InvalidTransformException(token, "the key '" + key + "' appears twice");
            }
            try {
                b.apply(key, value);
            } catch (InvalidTransformException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new InvalidTransformException(token, "'" + token + "': " + e.getMessage());
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new InvalidTransformException(segment, e.getMessage());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.width = width; b.height = height; b.fit = fit; b.position = position; b.dpr = dpr;
        b.quality = quality; b.upscale = upscale; b.background = background; b.blur = blur;
        b.sharpen = sharpen; b.gray = gray; b.rotate = rotate; b.flip = flip; b.flop = flop;
        b.preset = preset;
        return b;
    }

    /** Fluent construction; every setter validates through the record's constructor on {@link #build()}. */
    public static final class Builder {
        private int width;
        private int height;
        private Fit fit = Fit.INSIDE;
        private Position position = Position.CENTER;
        private double dpr = 1;
        private int quality;
        private Upscale upscale = Upscale.NONE;
        private String background;
        private double blur;
        private double sharpen;
        private boolean gray;
        private int rotate;
        private boolean flip;
        private boolean flop;
        private String preset;

        public Builder width(int v) { width = v; return this; }
        public Builder height(int v) { height = v; return this; }
        public Builder fit(Fit v) { fit = v; return this; }
        public Builder position(Position v) { position = v; return this; }
        public Builder dpr(double v) { dpr = v; return this; }
        public Builder quality(int v) { quality = v; return this; }
        public Builder upscale(Upscale v) { upscale = v; return this; }
        public Builder background(String v) { background = v; return this; }
        public Builder blur(double v) { blur = v; return this; }
        public Builder sharpen(double v) { sharpen = v; return this; }
        public Builder gray(boolean v) { gray = v; return this; }
        public Builder rotate(int v) { rotate = v; return this; }
        public Builder flip(boolean v) { flip = v; return this; }
        public Builder flop(boolean v) { flop = v; return this; }
        public Builder preset(String v) { preset = v; return this; }

        public TransformSpec build() {
            return new TransformSpec(width, height, fit, position, dpr, quality, upscale, background, blur,
                    sharpen, gray, rotate, flip, flop, preset);
        }

        private void apply(String key, String value) {
            switch (key) {
                case "w" -> width = positiveInt(value, MAX_SIDE);
                case "h" -> height = positiveInt(value, MAX_SIDE);
                case "fit" -> fit = enumValue(Fit.class, value);
                case "pos" -> position = position(value);
                case "dpr" -> dpr = decimal(value, 1, MAX_DPR);
                case "q" -> quality = positiveInt(value, 100);
                case "up" -> upscale = enumValue(Upscale.class, value);
                case "bg" -> {
                    if (value == null || !HEX.matcher(value).matches()) {
                        throw new IllegalArgumentException("expected 6 or 8 hex digits (rrggbb or rrggbbaa)");
                    }
                    background = value;
                }
                case "blur" -> blur = decimal(value, 0.3, MAX_BLUR);
                case "sharpen" -> sharpen = decimal(value, 0.1, MAX_SHARPEN);
                case "gray" -> gray = flag(value);
                case "rot" -> {
                    int r = positiveInt(value, 270);
                    if (r != 90 && r != 180 && r != 270) {
                        throw new IllegalArgumentException("expected 90, 180 or 270");
                    }
                    rotate = r;
                }
                case "flip" -> flip = flag(value);
                case "flop" -> flop = flag(value);
                case "p" -> {
                    if (value == null || !NAME.matcher(value).matches()) {
                        throw new IllegalArgumentException("expected a preset name");
                    }
                    preset = value;
                }
                default -> throw new InvalidTransformException(key, "unknown transform key '" + key + "'");
            }
        }

        private static int positiveInt(String value, int max) {
            if (value == null || !INT.matcher(value).matches()) {
                throw new IllegalArgumentException("expected a whole number");
            }
            int v = Integer.parseInt(value);
            if (v < 1 || v > max) {
                throw new IllegalArgumentException("expected a value within 1.." + max);
            }
            return v;
        }

        private static double decimal(String value, double min, double max) {
            if (value == null || !DECIMAL.matcher(value).matches()) {
                throw new IllegalArgumentException("expected a number such as 2 or 1.5");
            }
            double v = Double.parseDouble(value);
            if (v < min || v > max) {
                throw new IllegalArgumentException("expected a value within " + Numbers.format(min) + ".."
                        + Numbers.format(max));
            }
            return v;
        }

        private static boolean flag(String value) {
            if (value == null || value.equals("1") || value.equals("true")) {
                return true;
            }
            throw new IllegalArgumentException("a flag takes no value");
        }

        private static <E extends Enum<E>> E enumValue(Class<E> type, String value) {
            if (value != null) {
                for (E e : type.getEnumConstants()) {
                    if (e.name().toLowerCase(Locale.ROOT).equals(value)) {
                        return e;
                    }
                }
            }
            StringBuilder allowed = new StringBuilder();
            for (E e : type.getEnumConstants()) {
                allowed.append(allowed.isEmpty() ? "" : "|").append(e.name().toLowerCase(Locale.ROOT));
            }
            throw new IllegalArgumentException("expected one of " + allowed);
        }

        private static Position position(String value) {
            if (value == null) {
                throw new IllegalArgumentException("expected a position");
            }
            if (value.equals("smart")) {
                return new Position.Smart();
            }
            if (value.startsWith("fp:")) {
                String[] xy = value.substring(3).split(":", -1);
                if (xy.length != 2) {
                    throw new IllegalArgumentException("a focal point is fp:x:y with x and y within 0..1");
                }
                return new Position.Focal(decimalUnit(xy[0]), decimalUnit(xy[1]));
            }
            for (Position.Compass.Point p : Position.Compass.Point.values()) {
                if (p.name().toLowerCase(Locale.ROOT).equals(value)) {
                    return new Position.Compass(p);
                }
            }
            throw new IllegalArgumentException("expected center, a compass point (n, ne, ..., nw), smart or fp:x:y");
        }

        private static double decimalUnit(String v) {
            if (!DECIMAL.matcher(v).matches()) {
                throw new IllegalArgumentException("a focal point is fp:x:y with x and y within 0..1");
            }
            double d = Double.parseDouble(v);
            if (d > 1) {
                throw new IllegalArgumentException("a focal point is fp:x:y with x and y within 0..1");
            }
            return d;
        }
    }
}
