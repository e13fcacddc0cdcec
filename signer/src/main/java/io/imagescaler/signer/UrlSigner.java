package io.imagescaler.signer;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.cloudfront.CloudFrontUtilities;
import software.amazon.awssdk.services.cloudfront.cookie.CookiesForCannedPolicy;
import software.amazon.awssdk.services.cloudfront.cookie.CookiesForCustomPolicy;

/**
 * Signs CloudFront URLs and cookies with one key. SHA1 signatures come from the AWS SDK's
 * {@link CloudFrontUtilities}; the SDK has no SHA256 ({@code Hash-Algorithm}) and no way to sign a policy
 * without a URL (one signature shared by every variant in a {@code srcset}), so those are signed here,
 * over the same policy bytes.
 */
public final class UrlSigner {
    private static final CloudFrontUtilities SDK = CloudFrontUtilities.create();

    private final SigningKey key;
    private final HashAlgorithm hash;

    private UrlSigner(SigningKey key, HashAlgorithm hash) {
        this.key = Objects.requireNonNull(key);
        this.hash = Objects.requireNonNull(hash);
    }

    public static UrlSigner with(SigningKey key) {
        return new UrlSigner(key, HashAlgorithm.SHA1);
    }

    public UrlSigner hash(HashAlgorithm algorithm) {
        return new UrlSigner(key, algorithm);
    }

    public String keyPairId() {
        return key.keyPairId();
    }

    /** Canned policy: the URL exactly as given, until {@code expires} (whole seconds). */
    public String signCanned(String url, Instant expires) {
        requireUri(url);
        if (hash == HashAlgorithm.SHA1) {
            return SDK.getSignedUrlWithCannedPolicy(r -> r.resourceUrl(url).privateKey(key.privateKey())
                    .keyPairId(key.keyPairId()).expirationDate(expires)).url();
        }
        long epoch = expires.getEpochSecond();
        String signature = signBase64(Policy.cannedJson(url, epoch));
        return url + separator(url) + SignatureParameters.EXPIRES + "=" + epoch + "&" + SignatureParameters.SIGNATURE
                + "=" + signature + "&" + SignatureParameters.KEY_PAIR_ID + "=" + key.keyPairId() + hashSuffix();
    }

    /**
     * Custom policy; {@code policy.resource()} may be a wildcard pattern covering {@code url} and others,
     * or {@code null} for the URL itself.
     */
    public String signCustom(String url, Policy policy) {
        requireUri(url);
        Policy p = policy.resource() == null ? new Policy(url, policy.dateLessThan(), policy.dateGreaterThan(),
                policy.ipAddress()) : policy;
        if (hash == HashAlgorithm.SHA1) {
            return SDK.getSignedUrlWithCustomPolicy(r -> r.resourceUrl(url).resourceUrlPattern(p.resource())
                    .privateKey(key.privateKey()).keyPairId(key.keyPairId()).expirationDate(p.dateLessThan())
                    .activeDate(p.dateGreaterThan())
                    .ipRange(p.ipAddress() == null ? null : p.ipAddress().toString())).url();
        }
        return url + separator(url) + customQuery(p);
    }

    /** Canned when the policy allows it (no start, no range, no wildcard), custom otherwise. */
    public String sign(String url, Policy policy) {
        if (policy.fitsCanned() && policy.resource().equals(url)) {
            return signCanned(url, policy.dateLessThan());
        }
        return signCustom(url, policy);
    }

    /**
     * {@code Policy=..&Signature=..&Key-Pair-Id=..[&Hash-Algorithm=SHA256]} for a custom policy, to append
     * to every URL the policy's resource pattern covers (one signature computed once).
     */
    public String customQuery(Policy policy) {
        String json = policy.customJson();
        return SignatureParameters.POLICY + "=" + CloudFrontBase64.encode(json) + "&" + SignatureParameters.SIGNATURE
                + "=" + signBase64(json) + "&" + SignatureParameters.KEY_PAIR_ID + "=" + key.keyPairId() + hashSuffix();
    }

    /** Canned-policy cookies: valid only for exactly {@code url}. */
    public SignedCookies cookiesCanned(String url, Instant expires) {
        requireUri(url);
        Map<String, String> c = new LinkedHashMap<>();
        if (hash == HashAlgorithm.SHA1) {
            CookiesForCannedPolicy sdk = SDK.getCookiesForCannedPolicy(r -> r.resourceUrl(url)
                    .privateKey(key.privateKey()).keyPairId(key.keyPairId()).expirationDate(expires));
            put(c, sdk.expiresHeaderValue());
            put(c, sdk.signatureHeaderValue());
            put(c, sdk.keyPairIdHeaderValue());
            return new SignedCookies(c);
        }
        long epoch = expires.getEpochSecond();
        c.put(SignatureParameters.COOKIE_PREFIX + SignatureParameters.EXPIRES, Long.toString(epoch));
        c.put(SignatureParameters.COOKIE_PREFIX + SignatureParameters.SIGNATURE, signBase64(Policy.cannedJson(url, epoch)));
        c.put(SignatureParameters.COOKIE_PREFIX + SignatureParameters.KEY_PAIR_ID, key.keyPairId());
        c.put(SignatureParameters.COOKIE_PREFIX + SignatureParameters.HASH_ALGORITHM, hash.name());
        return new SignedCookies(c);
    }

    /** Custom-policy cookies, typically with a wildcard resource covering a whole image or site. */
    public SignedCookies cookiesCustom(Policy policy) {
        Objects.requireNonNull(policy.resource(), "signed cookies need a policy resource");
        Map<String, String> c = new LinkedHashMap<>();
        if (hash == HashAlgorithm.SHA1) {
            CookiesForCustomPolicy sdk = SDK.getCookiesForCustomPolicy(r -> r.resourceUrl(policy.resource())
                    .privateKey(key.privateKey()).keyPairId(key.keyPairId()).expirationDate(policy.dateLessThan())
                    .activeDate(policy.dateGreaterThan())
                    .ipRange(policy.ipAddress() == null ? null : policy.ipAddress().toString()));
            put(c, sdk.policyHeaderValue());
            put(c, sdk.signatureHeaderValue());
            put(c, sdk.keyPairIdHeaderValue());
            return new SignedCookies(c);
        }
        String json = policy.customJson();
        c.put(SignatureParameters.COOKIE_PREFIX + SignatureParameters.POLICY, CloudFrontBase64.encode(json));
        c.put(SignatureParameters.COOKIE_PREFIX + SignatureParameters.SIGNATURE, signBase64(json));
        c.put(SignatureParameters.COOKIE_PREFIX + SignatureParameters.KEY_PAIR_ID, key.keyPairId());
        c.put(SignatureParameters.COOKIE_PREFIX + SignatureParameters.HASH_ALGORITHM, hash.name());
        return new SignedCookies(c);
    }

    private static void put(Map<String, String> cookies, String nameEqualsValue) {
        int eq = nameEqualsValue.indexOf('=');
        cookies.put(nameEqualsValue.substring(0, eq), nameEqualsValue.substring(eq + 1));
    }

    private String hashSuffix() {
        return hash == HashAlgorithm.SHA1 ? "" : "&" + SignatureParameters.HASH_ALGORITHM + "=" + hash.name();
    }

    private static String separator(String url) {
        return url.indexOf('?') >= 0 ? "&" : "?";
    }

    private static void requireUri(String url) {
        URI uri = URI.create(url);
        if (uri.getScheme() == null || uri.getRawAuthority() == null) {
            throw new IllegalArgumentException("CloudFront signs absolute URLs (scheme://host/path): " + url);
        }
    }

    private String signBase64(String policyJson) {
        try {
            Signature s = Signature.getInstance(hash.jcaName());
            s.initSign(key.privateKey());
            s.update(policyJson.getBytes(StandardCharsets.UTF_8));
            return CloudFrontBase64.encode(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with key " + key.keyPairId(), e);
        }
    }
}
