package io.imagescaler.edge.storage;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.gaul.s3proxy.CrossOriginResourceSharing;

/**
 * The originals bucket's CORS rule, the same one the CDK stack puts on the bucket on AWS: a web page on an
 * allowed origin may PUT multipart parts straight to their presigned URLs and read each answer's
 * {@code ETag} (which completing the upload needs). Nothing else is allowed cross-origin; the presigned
 * signature, not CORS, is what authorizes a part.
 *
 * @param allowedOrigins origins as S3 spells them: exact, or with one {@code *} wildcard
 *                       ({@code http://127.0.0.1:*}), or {@code *} alone for any
 */
public record UploadCors(List<String> allowedOrigins) {
    public static final List<String> METHODS = List.of("PUT");
    /** Browsers send header names lower-cased in a preflight; S3Proxy compares them exactly. */
    public static final List<String> HEADERS = List.of("content-type");
    public static final List<String> EXPOSED = List.of("ETag");

    public UploadCors {
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** The rule in S3Proxy's terms: its origins are regular expressions. */
    CrossOriginResourceSharing forS3Proxy() {
        if (allowedOrigins.isEmpty()) {
            return CrossOriginResourceSharing.disabled();
        }
        List<String> origins = allowedOrigins.contains("*") ? List.of("*")
                : allowedOrigins.stream().map(UploadCors::regexOf).toList();
        return new CrossOriginResourceSharing(origins, METHODS, HEADERS, EXPOSED, "false");
    }

    public static String regexOf(String origin) {
        return Arrays.stream(origin.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
    }
}
