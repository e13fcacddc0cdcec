package io.imagescaler.spec;

import java.math.BigDecimal;

/** Canonical decimal spelling shared by every numeric token: no exponent, no trailing zeros. */
final class Numbers {
    private Numbers() {
    }

    static String format(double v) {
        BigDecimal d = BigDecimal.valueOf(v).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }
}
