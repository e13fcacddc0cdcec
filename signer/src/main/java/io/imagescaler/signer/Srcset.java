package io.imagescaler.signer;

import io.imagescaler.spec.Variant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A {@code srcset} attribute for one image at several widths. The signed form carries one custom policy
 * whose wildcard resource covers every variant of the image ({@code https://host/v1/images/{id}/*}), so
 * the signature is computed once and the browser may fetch whichever width it picks.
 */
public final class Srcset {
    private Srcset() {
    }

    /** {@code /v1/images/{id}/w_320.webp 320w, ...}; sets each width on {@code variant} in turn. */
    public static String widths(Variant variant, int... widths) {
        List<String> entries = new ArrayList<>();
        for (int w : widths) {
            entries.add(variant.width(w).path() + " " + w + "w");
        }
        return String.join(", ", entries);
    }

    /**
     * Signed {@code srcset}: {@code origin} is the distribution's scheme and host ({@code https://d111.cloudfront.net}).
     * Sets each width on {@code variant} in turn.
     */
    public static String signed(UrlSigner signer, String origin, Variant variant, Instant expires, int... widths) {
        return signed(signer, origin, w -> variant.width(w).path(), expires, widths);
    }

    /**
     * Signed {@code srcset} from any path-per-width function; every path must lie in the same directory
     * (one image), which the shared wildcard policy covers.
     */
    public static String signed(UrlSigner signer, String origin, IntFunction<String> pathForWidth, Instant expires,
                                int... widths) {
        if (widths.length == 0) {
            throw new IllegalArgumentException("a srcset needs at least one width");
        }
        String base = origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
        String first = pathForWidth.apply(widths[0]);
        String imagePrefix = first.substring(0, first.lastIndexOf('/') + 1);
        String query = signer.customQuery(new Policy(base + imagePrefix + "*", expires, null, null));
        List<String> entries = new ArrayList<>();
        for (int w : widths) {
            String path = pathForWidth.apply(w);
            if (!path.startsWith(imagePrefix) || path.indexOf('/', imagePrefix.length()) >= 0) {
                throw new IllegalArgumentException(path + " is not under " + imagePrefix);
            }
            entries.add(base + path + "?" + query + " " + w + "w");
        }
        return String.join(", ", entries);
    }
}
