package io.imagescaler.spec;

import java.util.Locale;

/** Where a cover crop is anchored: a compass point, the most interesting region, or a focal point. */
public sealed interface Position {

    Position CENTER = new Compass(Compass.Point.CENTER);

    /** A compass anchor; CENTER is the default. */
    record Compass(Point point) implements Position {
        public enum Point { CENTER, N, NE, E, SE, S, SW, W, NW }

        @Override
        public String token() {
            return point.name().toLowerCase(Locale.ROOT);
        }
    }

    /** The crop window with the most detail (entropy), found by the engine. */
    record Smart() implements Position {
        @Override
        public String token() {
            return "smart";
        }
    }

    /** A focal point in relative coordinates, 0..1 from the top-left corner. */
    record Focal(double x, double y) implements Position {
        public Focal {
            if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) {
                throw new IllegalArgumentException("focal point coordinates must be within 0..1");
            }
        }

        @Override
        public String token() {
            return "fp:" + Numbers.format(x) + ":" + Numbers.format(y);
        }
    }

    /** The value as spelled in the transform segment after {@code pos_}. */
    String token();
}
