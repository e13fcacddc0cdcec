package io.imagescaler.signer;

import io.imagescaler.signer.Verdict.Outcome;
import io.imagescaler.signer.Verdict.Source;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, as a CloudFront distribution with a trusted key group would, whether a request carries a valid
 * signed URL or signed cookies.
 *
 * <p>Order of checks: parameters present → hash algorithm known → key trusted → policy readable →
 * signature matches the policy bytes → resource covers the URL → time window → client IP. Signed URL
 * parameters win over cookies, as on CloudFront. Times are compared in whole seconds: a request is allowed
 * from {@code DateGreaterThan} (inclusive) until {@code DateLessThan}/{@code Expires} (exclusive); no
 * clock-skew grace is added.
 */
public final class SignatureVerifier {
    private final TrustedKeyGroup keys;

    public SignatureVerifier(TrustedKeyGroup keys) {
        this.keys = keys;
    }

    /**
     * @param fullUrl the URL as the viewer requested it ({@code https://host/path?query}); CloudFront matches the
     *                policy against scheme, host, path and every query parameter except the signature ones
     * @param cookies request cookies by name (may be empty)
     * @param clientIp the viewer's address as the edge saw it
     */
    public Verdict verify(String fullUrl, Map<String, String> cookies, String clientIp, Instant now) {
        String resource = withoutFragment(SignatureParameters.strip(fullUrl));
        Map<String, String> query;
        try {
            query = signatureQueryParameters(fullUrl);
        } catch (IllegalArgumentException e) {
            return Verdict.refuse(Outcome.MALFORMED, e.getMessage(), null, Source.QUERY);
        }
        if (!query.isEmpty()) {
            return check(query, Source.QUERY, resource, clientIp, now);
        }
        Map<String, String> fromCookies = new HashMap<>();
        for (String name : SignatureParameters.NAMES) {
            String value = cookies == null ? null : cookies.get(SignatureParameters.COOKIE_PREFIX + name);
            if (value != null) {
                fromCookies.put(name, value.strip());
            }
        }
        if (fromCookies.isEmpty()) {
            return Verdict.refuse(Outcome.MISSING, "no signature parameters in the URL and no CloudFront-* cookies",
                    null, Source.NONE);
        }
        return check(fromCookies, Source.COOKIE, resource, clientIp, now);
    }

    private Verdict check(Map<String, String> p, Source source, String resource, String clientIp, Instant now) {
        String keyPairId = p.get(SignatureParameters.KEY_PAIR_ID);
        String where = source == Source.QUERY ? "query parameter" : "cookie";
        if (keyPairId == null || keyPairId.isEmpty()) {
            return Verdict.refuse(Outcome.MISSING, "no Key-Pair-Id " + where, null, source);
        }
        String signature = p.get(SignatureParameters.SIGNATURE);
        if (signature == null || signature.isEmpty()) {
            return Verdict.refuse(Outcome.MISSING, "no Signature " + where, keyPairId, source);
        }
        String expires = p.get(SignatureParameters.EXPIRES);
        String encodedPolicy = p.get(SignatureParameters.POLICY);
        if (expires == null && encodedPolicy == null) {
            return Verdict.refuse(Outcome.MISSING, "neither Expires (canned policy) nor Policy (custom policy) " + where,
                    keyPairId, source);
        }
        if (expires != null && encodedPolicy != null) {
            return Verdict.refuse(Outcome.MALFORMED, "both Expires and Policy present", keyPairId, source);
        }
        Optional<HashAlgorithm> hash = HashAlgorithm.fromParameter(p.get(SignatureParameters.HASH_ALGORITHM));
        if (hash.isEmpty()) {
            return Verdict.refuse(Outcome.MALFORMED, "Hash-Algorithm must be SHA1 or SHA256, got '"
                    + p.get(SignatureParameters.HASH_ALGORITHM) + "'", keyPairId, source);
        }
        Optional<PublicKey> key = keys.key(keyPairId);
        if (key.isEmpty()) {
            return Verdict.refuse(Outcome.UNKNOWN_KEY, "key pair id " + keyPairId + " is not in the trusted key group "
                    + keys.keyPairIds(), keyPairId, source);
        }
        byte[] policyBytes;
        if (expires != null) {
            if (!expires.matches("\\d{1,12}")) {
                return Verdict.refuse(Outcome.MALFORMED, "Expires is not epoch seconds: '" + expires + "'", keyPairId,
                        source);
            }
            policyBytes = Policy.cannedJson(resource, Long.parseLong(expires)).getBytes(StandardCharsets.UTF_8);
        } else {
            try {
                policyBytes = CloudFrontBase64.decode(encodedPolicy);
            } catch (IllegalArgumentException e) {
                return Verdict.refuse(Outcome.MALFORMED, "Policy is not CloudFront base64", keyPairId, source);
            }
        }
        byte[] signatureBytes;
        try {
            signatureBytes = CloudFrontBase64.decode(signature);
        } catch (IllegalArgumentException e) {
            return Verdict.refuse(Outcome.TAMPERED, "Signature is not CloudFront base64", keyPairId, source);
        }
        if (!signatureMatches(hash.get(), key.get(), policyBytes, signatureBytes)) {
            return Verdict.refuse(Outcome.TAMPERED, (expires != null
                    ? "the signature does not match this URL and Expires (canned policy, "
                    : "the signature does not match the Policy (") + hash.get() + ", key " + keyPairId + ")",
                    keyPairId, source);
        }
        Policy policy;
        try {
            policy = expires != null ? Policy.canned(resource, Instant.ofEpochSecond(Long.parseLong(expires)))
                    : Policy.parse(policyBytes);
        } catch (Policy.MalformedPolicyException e) {
            return Verdict.refuse(Outcome.MALFORMED, e.getMessage(), keyPairId, source);
        }
        if (policy.resource() != null && !new ResourcePattern(policy.resource()).matches(resource)) {
            return Verdict.refuse(Outcome.RESOURCE_MISMATCH, "policy resource " + policy.resource()
                    + " does not cover " + resource, keyPairId, source);
        }
        long nowSecond = now.getEpochSecond();
        if (nowSecond >= policy.dateLessThan().getEpochSecond()) {
            return Verdict.refuse(Outcome.EXPIRED, "expired at " + policy.dateLessThan() + " (now " + now + ")",
                    keyPairId, source);
        }
        if (policy.dateGreaterThan() != null && nowSecond < policy.dateGreaterThan().getEpochSecond()) {
            return Verdict.refuse(Outcome.NOT_YET_VALID, "valid from " + policy.dateGreaterThan() + " (now " + now
                    + ")", keyPairId, source);
        }
        if (policy.ipAddress() != null && !policy.ipAddress().contains(clientIp)) {
            return Verdict.refuse(Outcome.IP_NOT_ALLOWED, "client " + clientIp + " is outside " + policy.ipAddress(),
                    keyPairId, source);
        }
        return Verdict.allow((expires != null ? "canned" : "custom") + " policy, " + hash.get() + ", key " + keyPairId
                + ", until " + policy.dateLessThan(), keyPairId, source);
    }

    private static boolean signatureMatches(HashAlgorithm hash, PublicKey key, byte[] data, byte[] signature) {
        try {
            Signature s = Signature.getInstance(hash.jcaName());
            s.initVerify(key);
            s.update(data);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Signature parameters by name (percent-decoded, {@code +} kept); a repeated one is refused as ambiguous. */
    private static Map<String, String> signatureQueryParameters(String url) {
        int q = url.indexOf('?');
        Map<String, String> found = new HashMap<>();
        if (q < 0) {
            return found;
        }
        int hash = url.indexOf('#', q);
        String query = url.substring(q + 1, hash < 0 ? url.length() : hash);
        Set<String> seen = new HashSet<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (!SignatureParameters.isSignatureParameter(name)) {
                continue;
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("query parameter " + name + " appears more than once");
            }
            found.put(name, percentDecode(eq < 0 ? "" : pair.substring(eq + 1)));
        }
        return found;
    }

    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int high = c == '%' && i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
            if (low >= 0) {
                out.write(high * 16 + low);
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String withoutFragment(String url) {
        int hash = url.indexOf('#');
        return hash < 0 ? url : url.substring(0, hash);
    }
}
