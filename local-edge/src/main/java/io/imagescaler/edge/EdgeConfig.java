package io.imagescaler.edge;

import io.imagescaler.handler.config.HandlerConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the edge itself (not the handler) is configured with, read once at start from the same variables
 * as the handler's configuration (README table).
 *
 * @param requireSignedUrls  {@code REQUIRE_SIGNED_URLS} (default true): variant and original GETs need a
 *                           signed URL or signed cookies, as the CloudFront behaviours do
 * @param extraTrustedKeys   {@code TRUSTED_PUBLIC_KEYS=KEYID=/path.pem,...}: public keys trusted besides the
 *                           edge's own dev key (a rotation: sign with the new key while old URLs still work)
 * @param cloudFrontAclFile  {@code WAF_CLOUDFRONT_ACL_FILE}: a rule file used instead of the built-in
 *                           {@code waf/cloudfront-acl.json} (e.g. to try a lower rate limit)
 * @param regionalAclFile    {@code WAF_REGIONAL_ACL_FILE}: the same for {@code waf/regional-acl.json}
 * @param uploadCorsOrigins  {@code UPLOAD_CORS_ORIGINS} (default {@code http://127.0.0.1:*,http://localhost:*}):
 *                           the web origins whose pages may PUT multipart parts straight to the local S3, as
 *                           the originals bucket's CORS rule allows on AWS; {@code *} is a wildcard
 */
public record EdgeConfig(boolean requireSignedUrls, Map<String, Path> extraTrustedKeys,
                         Optional<Path> cloudFrontAclFile, Optional<Path> regionalAclFile,
                         List<String> uploadCorsOrigins) {
    static final String DEFAULT_UPLOAD_CORS_ORIGINS = "http://127.0.0.1:*,http://localhost:*";

    public EdgeConfig {
        extraTrustedKeys = Map.copyOf(extraTrustedKeys);
        uploadCorsOrigins = List.copyOf(uploadCorsOrigins);
    }

    public static EdgeConfig fromEnvironment(Function<String, String> env) {
        Function<String, Optional<String>> get = k -> Optional.ofNullable(env.apply(k)).filter(v -> !v.isBlank());
        return new EdgeConfig(
                get.apply("REQUIRE_SIGNED_URLS").map(v -> HandlerConfig.flag("REQUIRE_SIGNED_URLS", v)).orElse(true),
                parseKeys(get.apply("TRUSTED_PUBLIC_KEYS").orElse("")),
                get.apply("WAF_CLOUDFRONT_ACL_FILE").map(Path::of),
                get.apply("WAF_REGIONAL_ACL_FILE").map(Path::of),
                Arrays.stream(get.apply("UPLOAD_CORS_ORIGINS").orElse(DEFAULT_UPLOAD_CORS_ORIGINS).split(","))
                        .map(String::strip).filter(o -> !o.isEmpty()).toList());
    }

    /** {@code K2JCJMDEHXQW5F=/keys/a.pem,K3R...=/keys/b.pem} */
    static Map<String, Path> parseKeys(String spelled) {
        Map<String, Path> keys = new LinkedHashMap<>();
        for (String entry : spelled.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new IllegalArgumentException("configuration: TRUSTED_PUBLIC_KEYS is KEYID=/path/public.pem,...;"
                        + " got '" + entry.strip() + "'");
            }
            keys.put(entry.substring(0, eq).strip(), Path.of(entry.substring(eq + 1).strip()));
        }
        return keys;
    }
}
