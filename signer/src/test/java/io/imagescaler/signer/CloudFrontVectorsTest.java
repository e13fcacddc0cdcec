package io.imagescaler.signer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.signer.Verdict.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Vectors signed once by {@code @aws-sdk/cloudfront-signer} under node (src/test/node/make-vectors.js) and
 * committed with their test-only key, so the cross-implementation check runs even where node is absent.
 */
class CloudFrontVectorsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static JsonNode doc;

    static JsonNode doc() throws IOException {
        if (doc == null) {
            try (InputStream in = CloudFrontVectorsTest.class.getResourceAsStream("/vectors/cloudfront-signer-node.json")) {
                doc = JSON.readTree(in);
            }
        }
        return doc;
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        doc().path("cases").forEach(c -> out.add(Arguments.of(c.path("name").asText(), c)));
        return out.stream();
    }

    /** Canned policy bytes are fixed by CloudFront's spec, so their signatures must agree byte for byte. */
    static Stream<Arguments> cannedCases() throws IOException {
        return cases().filter(a -> ((JsonNode) a.get()[1]).path("canned").asBoolean());
    }

    static SignatureVerifier verifier() throws IOException {
        return new SignatureVerifier(TrustedKeyGroup.of(doc().path("keyPairId").asText(),
                PemKeys.parsePublicKey(doc().path("publicKeyPem").asText())));
    }

    static Instant now() throws IOException {
        return Instant.ofEpochSecond(doc().path("now").asLong());
    }

    static String param(String url, String name) {
        var m = java.util.regex.Pattern.compile("[?&]" + name + "=([^&]*)").matcher(url);
        return m.find() ? m.group(1) : null;
    }

    static String changeOneChar(String s, int i) {
        char c = s.charAt(i);
        return s.substring(0, i) + (c == 'A' ? 'B' : c == '1' ? '2' : Character.isDigit(c) ? '1' : 'A') + s.substring(i + 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void nodeSignedVectorIsAcceptedAndRefusedWhenChanged(String name, JsonNode c) throws IOException {
        SignatureVerifier verifier = verifier();
        Instant now = now();
        String ip = c.path("clientIp").asText("192.0.2.1");
        if (c.path("kind").asText().equals("url")) {
            String url = c.path("output").asText();
            Verdict v = verifier.verify(url, Map.of(), ip, now);
            assertEquals(Outcome.ALLOWED, v.outcome(), v.reason());
            if (c.has("alsoCovers")) {
                String other = c.path("alsoCovers").asText() + url.substring(url.indexOf('?'));
                assertTrue(verifier.verify(other, Map.of(), ip, now).allowed());
            }
            for (String field : new String[] {"Signature", "Policy", "Expires", "Key-Pair-Id"}) {
                String value = param(url, field);
                if (value == null) {
                    continue;
                }
                for (int i : new int[] {0, value.length() / 2, value.length() - 3}) {
                    if (i < 0) {
                        continue;
                    }
                    String bad = url.replace(field + "=" + value, field + "=" + changeOneChar(value, i));
                    assertFalse(verifier.verify(bad, Map.of(), ip, now).allowed(), field + "[" + i + "]");
                }
            }
            assertEquals(Outcome.EXPIRED, verifier.verify(url, Map.of(), ip, now.plusSeconds(3600)).outcome());
        } else {
            Map<String, String> cookies = new HashMap<>();
            c.path("output").properties().forEach(e -> cookies.put(e.getKey(), e.getValue().asText()));
            String request = c.path("request").asText();
            Verdict v = verifier.verify(request, cookies, ip, now);
            assertEquals(Outcome.ALLOWED, v.outcome(), v.reason());
            for (String field : cookies.keySet()) {
                Map<String, String> bad = new HashMap<>(cookies);
                bad.put(field, changeOneChar(cookies.get(field), cookies.get(field).length() / 2));
                assertFalse(verifier.verify(request, bad, ip, now).allowed(), field);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cannedCases")
    void javaReproducesCannedSignaturesByteForByte(String name, JsonNode c) throws IOException {
        UrlSigner signer = UrlSigner.with(new SigningKey(doc().path("keyPairId").asText(),
                PemKeys.parsePrivateKey(doc().path("privateKeyPem").asText())))
                .hash(HashAlgorithm.valueOf(c.path("algorithm").asText()));
        Instant expires = now().plusSeconds(3600);
        String resource = c.path("resource").asText();
        if (c.path("kind").asText().equals("url")) {
            String java = signer.signCanned(resource, expires);
            assertEquals(param(c.path("output").asText(), "Signature"), param(java, "Signature"));
        } else {
            SignedCookies java = signer.cookiesCanned(resource, expires);
            assertEquals(c.path("output").path("CloudFront-Signature").asText(), java.values().get("CloudFront-Signature"));
            assertEquals(c.path("output").path("CloudFront-Expires").asText(), java.values().get("CloudFront-Expires"));
        }
    }
}
