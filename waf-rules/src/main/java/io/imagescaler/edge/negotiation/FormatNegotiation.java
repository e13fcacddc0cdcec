package io.imagescaler.edge.negotiation;

import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.VariantPath;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an {@code .auto} variant into a concrete format from the viewer's {@code Accept} header, before any
 * cache or generated-bucket lookup, so caches key on the format and never on the raw header. Preference:
 * AVIF (only when the deployment has an AVIF encoder) over WebP over JPEG, or PNG instead of JPEG when the
 * image has alpha. Only image types named explicitly count ({@code image/*} and {@code *}{@code /*} came from
 * browsers that could not decode WebP); {@code q=0} or an unreadable {@code q} refuses a type. The CloudFront
 * Function {@code edge/auto-format.js} implements the same table ({@code edge/accept-formats.json}).
 */
public final class FormatNegotiation {
    private static final Pattern AUTO_PATH = Pattern.compile("^(/v1/images/[A-Za-z0-9_-]{43}/[^/]+)\\.auto$");
    private static final Pattern QVALUE = Pattern.compile("(0(\\.\\d{0,3})?|1(\\.0{0,3})?)");

    private final boolean avifEncoderAvailable;

    public FormatNegotiation(boolean avifEncoderAvailable) {
        this.avifEncoderAvailable = avifEncoderAvailable;
    }

    public ImageFormat choose(String accept, boolean hasAlpha) {
        Set<String> accepted = acceptedTypes(accept);
        if (avifEncoderAvailable && accepted.contains("image/avif")) {
            return ImageFormat.AVIF;
        }
        if (accepted.contains("image/webp")) {
            return ImageFormat.WEBP;
        }
        return hasAlpha ? ImageFormat.PNG : ImageFormat.JPG;
    }

    /**
     * {@code /v1/images/{id}/{transform}.auto} → the same path with the chosen extension; any other path is
     * returned unchanged.
     */
    public String rewrite(String path, String accept, boolean hasAlpha) {
        Matcher m = AUTO_PATH.matcher(path);
        if (!m.matches()) {
            return path;
        }
        return m.group(1) + "." + choose(accept, hasAlpha).extension();
    }

    /** Whether a path names an {@code .auto} variant (and so needs the image's alpha before {@link #rewrite}). */
    public static boolean isAuto(String path) {
        return path.endsWith("." + VariantPath.AUTO) && AUTO_PATH.matcher(path).matches();
    }

    /** Lower-cased media types listed with a positive, well-formed q value. */
    static Set<String> acceptedTypes(String accept) {
        Set<String> types = new HashSet<>();
        if (accept == null) {
            return types;
        }
        for (String element : accept.split(",")) {
            String[] parts = element.split(";");
            String type = parts[0].strip().toLowerCase(Locale.ROOT);
            if (type.isEmpty()) {
                continue;
            }
            boolean acceptable = true;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].strip();
                int eq = p.indexOf('=');
                if (eq > 0 && p.substring(0, eq).strip().equalsIgnoreCase("q")) {
                    String q = p.substring(eq + 1).strip();
                    acceptable = QVALUE.matcher(q).matches() && Double.parseDouble(q) > 0;
                }
            }
            if (acceptable) {
                types.add(type);
            }
        }
        return types;
    }
}
