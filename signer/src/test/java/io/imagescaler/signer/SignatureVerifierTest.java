package io.imagescaler.signer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.signer.Verdict.Outcome;
import io.imagescaler.signer.Verdict.Source;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SignatureVerifierTest {
    static final String ORIGIN = "https://d111111abcdef8.cloudfront.net";
    static final String IMAGE = ORIGIN + "/v1/images/Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF/";
    static final String URL = IMAGE + "w_800,h_600,fit_cover.webp";
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final Instant EXPIRES = NOW.plusSeconds(3600);
    static final String CLIENT = "203.0.113.7";

    final SignatureVerifier verifier = new SignatureVerifier(TestKeys.groupAB());

    Verdict verify(String url) {
        return verifier.verify(url, Map.of(), CLIENT, NOW);
    }

    static UrlSigner signer(HashAlgorithm hash) {
        return UrlSigner.with(TestKeys.signingA()).hash(hash);
    }

    /** Replaces the value of one query parameter. */
    static String withParam(String url, String name, String value) {
        return url.replaceFirst("([?&])" + name + "=[^&]*", "$1" + name + "=" + value);
    }

    static String paramValue(String url, String name) {
        var m = java.util.regex.Pattern.compile("[?&]" + name + "=([^&]*)").matcher(url);
        return m.find() ? m.group(1) : null;
    }

    /** Flips one character of a base64 value to another valid CloudFront-base64 character. */
    static String flipOneChar(String value, int index) {
        char c = value.charAt(index);
        char replacement = c == 'A' ? 'B' : 'A';
        return value.substring(0, index) + replacement + value.substring(index + 1);
    }

    @Nested
    class RoundTrips {
        @ParameterizedTest
        @EnumSource(HashAlgorithm.class)
        void cannedUrl(HashAlgorithm hash) {
            String signed = signer(hash).signCanned(URL, EXPIRES);
            Verdict v = verify(signed);
            assertEquals(Outcome.ALLOWED, v.outcome(), v.reason());
            assertEquals(TestKeys.ID_A, v.keyPairId());
            assertEquals(Source.QUERY, v.source());
            assertTrue(signed.contains("Expires=" + EXPIRES.getEpochSecond()));
            assertEquals(hash == HashAlgorithm.SHA256, signed.contains("Hash-Algorithm=SHA256"));
        }

        @ParameterizedTest
        @EnumSource(HashAlgorithm.class)
        void cannedUrlKeepsOtherQueryParameters(HashAlgorithm hash) {
            String signed = signer(hash).signCanned(URL + "?v=2&x=y", EXPIRES);
            assertTrue(verify(signed).allowed(), verify(signed).reason());
            // the other parameters are part of the signed resource
            assertEquals(Outcome.TAMPERED, verify(signed.replace("v=2", "v=3")).outcome());
        }

        @ParameterizedTest
        @EnumSource(HashAlgorithm.class)
        void customUrlWithWildcardStartAndRange(HashAlgorithm hash) {
            Policy p = new Policy(IMAGE + "*", EXPIRES, NOW.minusSeconds(60), IpRange.parse("203.0.113.0/24"));
            String signed = signer(hash).signCustom(URL, p);
            assertTrue(signed.contains("Policy="));
            Verdict v = verify(signed);
            assertEquals(Outcome.ALLOWED, v.outcome(), v.reason());
            // one signature, every variant of the image
            String other = signed.replace("w_800,h_600,fit_cover.webp", "w_320.avif");
            assertTrue(verify(other).allowed());
        }

        @ParameterizedTest
        @EnumSource(HashAlgorithm.class)
        void cannedCookies(HashAlgorithm hash) {
            SignedCookies c = signer(hash).cookiesCanned(URL, EXPIRES);
            assertTrue(c.values().containsKey("CloudFront-Expires"));
            Verdict v = verifier.verify(URL, c.values(), CLIENT, NOW);
            assertEquals(Outcome.ALLOWED, v.outcome(), v.reason());
            assertEquals(Source.COOKIE, v.source());
            assertEquals(Outcome.TAMPERED, verifier.verify(IMAGE + "w_1.webp", c.values(), CLIENT, NOW).outcome());
        }

        @Test
        void cookiesFromARequestHeader() {
            SignedCookies c = signer(HashAlgorithm.SHA256).cookiesCustom(new Policy(IMAGE + "*", EXPIRES, null, null));
            Map<String, String> parsed = SignedCookies.parseCookieHeader("session=abc; " + c.cookieHeader() + "; x=1");
            assertTrue(verifier.verify(URL, parsed, CLIENT, NOW).allowed());
            assertEquals(Map.of(), SignedCookies.parseCookieHeader(null));
        }

        @ParameterizedTest
        @EnumSource(HashAlgorithm.class)
        void customCookiesCoverTheWholeImage(HashAlgorithm hash) {
            SignedCookies c = signer(hash).cookiesCustom(new Policy(IMAGE + "*", EXPIRES, null, null));
            assertTrue(c.values().containsKey("CloudFront-Policy"));
            assertTrue(verifier.verify(URL, c.values(), CLIENT, NOW).allowed());
            assertTrue(verifier.verify(IMAGE + "original", c.values(), CLIENT, NOW).allowed());
            Verdict elsewhere = verifier.verify(ORIGIN + "/v1/images/other/original", c.values(), CLIENT, NOW);
            assertEquals(Outcome.RESOURCE_MISMATCH, elsewhere.outcome());
        }

        @Test
        void signPicksCannedWhenThePolicyAllows() {
            String canned = signer(HashAlgorithm.SHA1).sign(URL, Policy.canned(URL, EXPIRES));
            assertTrue(canned.contains("Expires="));
            String custom = signer(HashAlgorithm.SHA1).sign(URL, new Policy(URL, EXPIRES, NOW, null));
            assertTrue(custom.contains("Policy="));
            assertTrue(verify(canned).allowed());
            assertTrue(verify(custom).allowed());
        }

        @Test
        void keyRotationBothKeysOfTheGroupPass() {
            String a = UrlSigner.with(TestKeys.signingA()).signCanned(URL, EXPIRES);
            String b = UrlSigner.with(TestKeys.signingB()).signCanned(URL, EXPIRES);
            assertEquals(TestKeys.ID_A, verify(a).keyPairId());
            assertEquals(TestKeys.ID_B, verify(b).keyPairId());
            assertTrue(verify(a).allowed());
            assertTrue(verify(b).allowed());
            // once A is retired from the group, its URLs stop working
            SignatureVerifier onlyB = new SignatureVerifier(TrustedKeyGroup.of(TestKeys.ID_B, TestKeys.B.getPublic()));
            assertEquals(Outcome.UNKNOWN_KEY, onlyB.verify(a, Map.of(), CLIENT, NOW).outcome());
        }

        @Test
        void percentEncodedSignatureCharactersAreDecoded() {
            String signed = signer(HashAlgorithm.SHA1).signCanned(URL, EXPIRES);
            String encoded = withParam(signed, "Signature", paramValue(signed, "Signature").replace("~", "%7E"));
            assertTrue(verify(encoded).allowed());
        }
    }

    @Nested
    class Tampering {
        @ParameterizedTest
        @EnumSource(HashAlgorithm.class)
        void cannedExpiresMovedLater(HashAlgorithm hash) {
            String signed = signer(hash).signCanned(URL, EXPIRES);
            String later = withParam(signed, "Expires", Long.toString(EXPIRES.getEpochSecond() + 86400));
            assertEquals(Outcome.TAMPERED, verify(later).outcome());
        }

        @ParameterizedTest
        @EnumSource(HashAlgorithm.class)
        void everySignatureByteMatters(HashAlgorithm hash) {
            String signed = signer(hash).signCanned(URL, EXPIRES);
            String sig = paramValue(signed, "Signature");
            for (int i : new int[] {0, 1, sig.length() / 2, sig.length() - 4}) {
                assertEquals(Outcome.TAMPERED, verify(withParam(signed, "Signature", flipOneChar(sig, i))).outcome(),
                        "signature char " + i);
            }
        }

        @ParameterizedTest
        @EnumSource(HashAlgorithm.class)
        void customPolicyEdited(HashAlgorithm hash) {
            String signed = signer(hash).signCustom(URL, new Policy(IMAGE + "*", EXPIRES, null, null));
            String policy = new String(CloudFrontBase64.decode(paramValue(signed, "Policy")), StandardCharsets.UTF_8);
            String longer = policy.replace(Long.toString(EXPIRES.getEpochSecond()),
                    Long.toString(EXPIRES.getEpochSecond() + 86400));
            assertEquals(Outcome.TAMPERED,
                    verify(withParam(signed, "Policy", CloudFrontBase64.encode(longer))).outcome());
            String wider = policy.replace(IMAGE + "*", ORIGIN + "/*");
            assertEquals(Outcome.TAMPERED, verify(withParam(signed, "Policy", CloudFrontBase64.encode(wider))).outcome());
        }

        @Test
        void pathHostSchemeAndQuery() {
            String signed = signer(HashAlgorithm.SHA1).signCanned(URL, EXPIRES);
            assertEquals(Outcome.TAMPERED, verify(signed.replace("w_800", "w_8000")).outcome());
            assertEquals(Outcome.TAMPERED, verify(signed.replace("d111111abcdef8", "d222222abcdef8")).outcome());
            assertEquals(Outcome.TAMPERED, verify(signed.replace("https://", "http://")).outcome());
            assertEquals(Outcome.TAMPERED, verify(signed.replace("?", "?extra=1&")).outcome());
        }

        @Test
        void keyPairIdSwappedToAnotherTrustedKey() {
            String signed = signer(HashAlgorithm.SHA1).signCanned(URL, EXPIRES);
            assertEquals(Outcome.TAMPERED, verify(withParam(signed, "Key-Pair-Id", TestKeys.ID_B)).outcome());
        }

        @Test
        void keyPairIdUnknown() {
            String signed = signer(HashAlgorithm.SHA1).signCanned(URL, EXPIRES);
            Verdict v = verify(withParam(signed, "Key-Pair-Id", "KNOTTRUSTED"));
            assertEquals(Outcome.UNKNOWN_KEY, v.outcome());
            assertTrue(v.errorXml().contains("<Code>InvalidKey</Code>"));
        }

        @Test
        void hashAlgorithmChangedOrInvented() {
            String sha256 = signer(HashAlgorithm.SHA256).signCanned(URL, EXPIRES);
            assertEquals(Outcome.TAMPERED, verify(withParam(sha256, "Hash-Algorithm", "SHA1")).outcome());
            assertEquals(Outcome.TAMPERED, verify(sha256.replace("&Hash-Algorithm=SHA256", "")).outcome());
            assertEquals(Outcome.MALFORMED, verify(withParam(sha256, "Hash-Algorithm", "MD5")).outcome());
            assertEquals(Outcome.MALFORMED, verify(withParam(sha256, "Hash-Algorithm", "sha256")).outcome());
            String sha1 = signer(HashAlgorithm.SHA1).signCanned(URL, EXPIRES);
            assertEquals(Outcome.TAMPERED, verify(sha1 + "&Hash-Algorithm=SHA256").outcome());
        }

        @Test
        void signedByAKeyOutsideTheGroupUnderATrustedId() {
            var stranger = PemKeys.generateRsa2048();
            String signed = UrlSigner.with(new SigningKey(TestKeys.ID_A, stranger.getPrivate())).signCanned(URL, EXPIRES);
            assertEquals(Outcome.TAMPERED, verify(signed).outcome());
        }

        @Test
        void cookieFieldsEdited() {
            Map<String, String> c = signer(HashAlgorithm.SHA256).cookiesCanned(URL, EXPIRES).values();
            for (String field : c.keySet()) {
                Map<String, String> edited = new HashMap<>(c);
                String value = c.get(field);
                edited.put(field, field.endsWith("Expires") ? Long.toString(Long.parseLong(value) + 1)
                        : field.endsWith("Hash-Algorithm") ? "SHA1"
                        : field.endsWith("Key-Pair-Id") ? TestKeys.ID_B : flipOneChar(value, 5));
                assertFalse(verifier.verify(URL, edited, CLIENT, NOW).allowed(), field);
            }
        }
    }

    @Nested
    class Missing {
        @Test
        void noSignatureAtAll() {
            Verdict v = verify(URL);
            assertEquals(Outcome.MISSING, v.outcome());
            assertEquals(403, v.status());
            assertTrue(v.errorXml().contains("<Code>MissingKey</Code>"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"Expires", "Signature", "Key-Pair-Id"})
        void oneParameterRemoved(String name) {
            String signed = signer(HashAlgorithm.SHA1).signCanned(URL, EXPIRES);
            String without = signed.replaceFirst("[?&]" + name + "=[^&]*", "").replaceFirst("webp&", "webp?");
            assertEquals(Outcome.MISSING, verify(without).outcome(), without);
        }

        @Test
        void bothExpiresAndPolicyIsMalformed() {
            String signed = signer(HashAlgorithm.SHA1).signCustom(URL, new Policy(URL, EXPIRES, NOW, null));
            assertEquals(Outcome.MALFORMED, verify(signed + "&Expires=" + EXPIRES.getEpochSecond()).outcome());
        }

        @Test
        void repeatedParameterIsMalformed() {
            String signed = signer(HashAlgorithm.SHA1).signCanned(URL, EXPIRES);
            assertEquals(Outcome.MALFORMED, verify(signed + "&Key-Pair-Id=" + TestKeys.ID_A).outcome());
        }

        @Test
        void urlParametersWinOverCookies() {
            Map<String, String> goodCookies = signer(HashAlgorithm.SHA1).cookiesCanned(URL, EXPIRES).values();
            String badUrl = URL + "?Expires=1&Signature=AAAA&Key-Pair-Id=" + TestKeys.ID_A;
            Verdict v = verifier.verify(badUrl, goodCookies, CLIENT, NOW);
            assertEquals(Source.QUERY, v.source());
            assertFalse(v.allowed());
        }

        @Test
        void policyWithoutDateLessThanIsMalformedEvenWhenSigned() {
            // signed correctly, but CloudFront requires DateLessThan
            String json = "{\"Statement\":[{\"Resource\":\"" + URL + "\",\"Condition\":{}}]}";
            String q = signedQueryForRawPolicy(json);
            assertEquals(Outcome.MALFORMED, verify(URL + "?" + q).outcome());
        }

        @Test
        void policyWithTwoStatementsIsMalformed() {
            String st = "{\"Resource\":\"" + URL + "\",\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":"
                    + EXPIRES.getEpochSecond() + "}}}";
            assertEquals(Outcome.MALFORMED, verify(URL + "?" + signedQueryForRawPolicy(
                    "{\"Statement\":[" + st + "," + st + "]}")).outcome());
        }

        @Test
        void policyWithoutResourceCoversAnyUrl() {
            String json = "{\"Statement\":[{\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":"
                    + EXPIRES.getEpochSecond() + "}}}]}";
            assertTrue(verify(ORIGIN + "/anything?" + signedQueryForRawPolicy(json)).allowed());
        }

        private String signedQueryForRawPolicy(String json) {
            try {
                var s = java.security.Signature.getInstance("SHA1withRSA");
                s.initSign(TestKeys.A.getPrivate());
                s.update(json.getBytes(StandardCharsets.UTF_8));
                return "Policy=" + CloudFrontBase64.encode(json) + "&Signature=" + CloudFrontBase64.encode(s.sign())
                        + "&Key-Pair-Id=" + TestKeys.ID_A;
            } catch (java.security.GeneralSecurityException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Nested
    class Time {
        @ParameterizedTest
        @EnumSource(HashAlgorithm.class)
        void cannedExpiryEdge(HashAlgorithm hash) {
            String signed = signer(hash).signCanned(URL, EXPIRES);
            assertTrue(verifier.verify(signed, Map.of(), CLIENT, EXPIRES.minusSeconds(1)).allowed());
            // the last fraction of the last second still counts as before the expiry second
            assertTrue(verifier.verify(signed, Map.of(), CLIENT, EXPIRES.minusMillis(1)).allowed());
            Verdict at = verifier.verify(signed, Map.of(), CLIENT, EXPIRES);
            assertEquals(Outcome.EXPIRED, at.outcome());
            assertTrue(at.errorXml().contains("AccessDenied"));
            assertEquals(Outcome.EXPIRED, verifier.verify(signed, Map.of(), CLIENT, EXPIRES.plusSeconds(3600)).outcome());
        }

        @Test
        void expiresIsWholeSeconds() {
            String signed = signer(HashAlgorithm.SHA1).signCanned(URL, EXPIRES.plusMillis(900));
            assertTrue(signed.contains("Expires=" + EXPIRES.getEpochSecond() + "&"));
        }

        @ParameterizedTest
        @EnumSource(HashAlgorithm.class)
        void customStartEdge(HashAlgorithm hash) {
            Instant start = NOW.plusSeconds(300);
            String signed = signer(hash).signCustom(URL, new Policy(URL, EXPIRES, start, null));
            assertEquals(Outcome.NOT_YET_VALID, verifier.verify(signed, Map.of(), CLIENT, start.minusSeconds(1)).outcome());
            assertEquals(Outcome.NOT_YET_VALID, verifier.verify(signed, Map.of(), CLIENT, NOW).outcome());
            assertTrue(verifier.verify(signed, Map.of(), CLIENT, start).allowed());
            assertTrue(verifier.verify(signed, Map.of(), CLIENT, EXPIRES.minusSeconds(1)).allowed());
            assertEquals(Outcome.EXPIRED, verifier.verify(signed, Map.of(), CLIENT, EXPIRES).outcome());
        }

        @Test
        void expiresNotANumber() {
            String signed = signer(HashAlgorithm.SHA1).signCanned(URL, EXPIRES);
            assertEquals(Outcome.MALFORMED, verify(withParam(signed, "Expires", "tomorrow")).outcome());
        }
    }

    @Nested
    class Addresses {
        String signedFor(String cidr) {
            return signer(HashAlgorithm.SHA256).signCustom(URL, new Policy(URL, EXPIRES, null, IpRange.parse(cidr)));
        }

        @Test
        void slash24() {
            String signed = signedFor("203.0.113.0/24");
            assertTrue(verifier.verify(signed, Map.of(), "203.0.113.0", NOW).allowed());
            assertTrue(verifier.verify(signed, Map.of(), "203.0.113.255", NOW).allowed());
            Verdict outside = verifier.verify(signed, Map.of(), "203.0.114.1", NOW);
            assertEquals(Outcome.IP_NOT_ALLOWED, outside.outcome());
            assertTrue(outside.reason().contains("203.0.113.0/24"));
        }

        @Test
        void bareAddressIsSlash32() {
            String signed = signedFor("198.51.100.9");
            assertTrue(verifier.verify(signed, Map.of(), "198.51.100.9", NOW).allowed());
            assertEquals(Outcome.IP_NOT_ALLOWED, verifier.verify(signed, Map.of(), "198.51.100.8", NOW).outcome());
        }

        @Test
        void slash0AllowsEveryIpv4() {
            String signed = signedFor("0.0.0.0/0");
            assertTrue(verifier.verify(signed, Map.of(), "8.8.8.8", NOW).allowed());
        }

        @Test
        void ipv6ViewersNeverMatchButMappedIpv4Does() {
            String signed = signedFor("127.0.0.0/8");
            assertEquals(Outcome.IP_NOT_ALLOWED, verifier.verify(signed, Map.of(), "::1", NOW).outcome());
            assertTrue(verifier.verify(signed, Map.of(), "::ffff:127.0.0.1", NOW).allowed());
        }

        @Test
        void garbageAddressDoesNotMatch() {
            String signed = signedFor("10.0.0.0/8");
            assertEquals(Outcome.IP_NOT_ALLOWED, verifier.verify(signed, Map.of(), "10.0.0.256", NOW).outcome());
            assertEquals(Outcome.IP_NOT_ALLOWED, verifier.verify(signed, Map.of(), null, NOW).outcome());
        }
    }

    @Nested
    class Wildcards {
        Verdict verifyWithPattern(String pattern, String url) {
            String q = signer(HashAlgorithm.SHA1).customQuery(new Policy(pattern, EXPIRES, null, null));
            return verify(url + (url.contains("?") ? "&" : "?") + q);
        }

        @Test
        void starSpansSlashesAndQuery() {
            assertTrue(verifyWithPattern(ORIGIN + "/*", URL).allowed());
            assertTrue(verifyWithPattern(ORIGIN + "/v1/images/*", URL + "?v=1").allowed());
            assertTrue(verifyWithPattern("https://*.cloudfront.net/v1/*", URL).allowed());
            assertTrue(verifyWithPattern("http*://d111111abcdef8.cloudfront.net/*", URL).allowed());
            assertTrue(verifyWithPattern("*", URL).allowed());
        }

        @Test
        void questionMarkIsOneCharacter() {
            assertTrue(verifyWithPattern(IMAGE + "w_???,h_600,fit_cover.webp", URL).allowed());
            assertEquals(Outcome.RESOURCE_MISMATCH,
                    verifyWithPattern(IMAGE + "w_??,h_600,fit_cover.webp", URL).outcome());
        }

        @Test
        void mismatches() {
            assertEquals(Outcome.RESOURCE_MISMATCH, verifyWithPattern(IMAGE + "*.png", URL).outcome());
            assertEquals(Outcome.RESOURCE_MISMATCH, verifyWithPattern(ORIGIN + "/v2/*", URL).outcome());
            // case-sensitive, and a literal dot is not a regex dot
            assertEquals(Outcome.RESOURCE_MISMATCH, verifyWithPattern(IMAGE.toUpperCase() + "*", URL).outcome());
            assertEquals(Outcome.RESOURCE_MISMATCH, verifyWithPattern(IMAGE + "w_800,h_600,fit_coverXwebp", URL).outcome());
            // without a trailing star the query string must match too
            assertEquals(Outcome.RESOURCE_MISMATCH, verifyWithPattern(URL, URL + "?v=1").outcome());
        }
    }
}
