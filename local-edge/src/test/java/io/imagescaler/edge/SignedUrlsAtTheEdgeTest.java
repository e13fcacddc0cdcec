package io.imagescaler.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.edge.access.DevIssuer;
import io.imagescaler.signer.HashAlgorithm;
import io.imagescaler.signer.IpRange;
import io.imagescaler.signer.PemKeys;
import io.imagescaler.signer.Policy;
import io.imagescaler.signer.SignedCookies;
import io.imagescaler.signer.SigningKey;
import io.imagescaler.signer.UrlSigner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * CloudFront's signed-URL check as the local edge performs it, over HTTP: canned and custom (wildcard) policies,
 * SHA1 and SHA256, signed cookies, a rotated-in extra key; and every way a request is refused (403 with
 * CloudFront's XML body), each before the generated bucket or the handler is touched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SignedUrlsAtTheEdgeTest {
    private static final Pattern BUCKET_KEY = Pattern.compile("^[A-Za-z0-9_-]{43}/[a-z0-9_,.]+\\.(jpg|png|webp|gif)$");

    @TempDir
    static Path data;
    @TempDir
    static Path keys;
    LocalEdge edge;
    SigningKey rotatedIn;
    String id;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        // A second trusted key, as during a rotation: its public half is given to the edge by file.
        var pair = PemKeys.generateRsa2048();
        Path pub = Files.writeString(keys.resolve("next-public.pem"), PemKeys.publicKeyPem(pair.getPublic()));
        rotatedIn = new SigningKey("KNEXTKEY02", pair.getPrivate());
        edge = LocalEdge.start(0, data, Map.of("TRUSTED_PUBLIC_KEYS", "KNEXTKEY02=" + pub));
        var created = http.send(HttpRequest.newBuilder(URI.create(edge.baseUrl() + "/v1/images"))
                .header("Authorization", edge.issuer().bearer(DevIssuer.USER))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Fixtures.image("jpeg-tiny-40x60-orient3.jpg"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        id = created.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    }

    @AfterAll
    void stop() {
        if (edge != null) edge.close();
    }

    private String url(String variant) {
        return edge.baseUrl() + "/v1/images/" + id + "/" + variant;
    }

    private UrlSigner dev() {
        return Signed.signer(edge);
    }

    private static Instant in(Duration d) {
        return Instant.now().plus(d);
    }

    private HttpResponse<byte[]> get(String url, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(url)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private void assertServed(HttpResponse<byte[]> r) {
        assertEquals(200, r.statusCode(), () -> new String(r.body()));
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("image/"));
    }

    /** Refused with CloudFront's body, and neither the generated bucket nor the handler saw the request. */
    private void assertRefused(String code, String url, String... headers) throws Exception {
        long handler = edge.server().handlerInvocations();
        long bucket = edge.server().bucketHits();
        var r = get(url, headers);
        assertEquals(403, r.statusCode(), () -> url + " -> " + new String(r.body()));
        assertEquals("text/xml", r.headers().firstValue("Content-Type").orElseThrow());
        String body = new String(r.body());
        assertTrue(body.startsWith("<?xml"), body);
        assertTrue(body.contains("<Code>" + code + "</Code>"), body);
        assertEquals(handler, edge.server().handlerInvocations(), "the handler was not called");
        assertEquals(bucket, edge.server().bucketHits(), "the bucket was not read");
    }

    @Test
    void cannedPoliciesSha1AndSha256AreAccepted() throws Exception {
        assertServed(get(dev().signCanned(url("w_20.jpg"), in(Duration.ofMinutes(5)))));
        assertServed(get(dev().hash(HashAlgorithm.SHA256).signCanned(url("w_21.jpg"), in(Duration.ofMinutes(5)))));
        assertServed(get(dev().signCanned(url("original"), in(Duration.ofMinutes(5)))));
    }

    @Test
    void oneWildcardPolicyCoversEveryVariantOfTheImage() throws Exception {
        Policy everyVariant = new Policy(edge.baseUrl() + "/v1/images/" + id + "/*", in(Duration.ofHours(1)), null, null);
        String query = dev().hash(HashAlgorithm.SHA256).customQuery(everyVariant);
        assertServed(get(url("w_10.jpg") + "?" + query));
        assertServed(get(url("w_12,h_12,fit_cover.webp") + "?" + query));
        // ... and no other image.
        assertRefused("AccessDenied", edge.baseUrl() + "/v1/images/" + "B".repeat(43) + "/w_10.jpg?" + query);
        // the SDK's SHA1 custom signing, with a start in the past and the loopback range
        assertServed(get(dev().signCustom(url("w_14.jpg"), new Policy(everyVariant.resource(), in(Duration.ofHours(1)),
                Instant.now().minusSeconds(60), IpRange.parse("127.0.0.0/8")))));
    }

    @Test
    void signedCookiesAreAccepted() throws Exception {
        Policy everyVariant = new Policy(edge.baseUrl() + "/v1/images/" + id + "/*", in(Duration.ofHours(1)), null, null);
        SignedCookies custom = dev().cookiesCustom(everyVariant);
        assertServed(get(url("w_16.jpg"), "Cookie", custom.cookieHeader()));
        assertServed(get(url("original"), "Cookie", "theme=dark; " + custom.cookieHeader()));
        SignedCookies canned = dev().hash(HashAlgorithm.SHA256).cookiesCanned(url("w_18.jpg"), in(Duration.ofMinutes(5)));
        assertServed(get(url("w_18.jpg"), "Cookie", canned.cookieHeader()));
        // canned cookies are for exactly one URL
        assertRefused("AccessDenied", url("w_19.jpg"), "Cookie", canned.cookieHeader());
    }

    @Test
    void aKeyAddedForRotationIsTrusted() throws Exception {
        assertServed(get(UrlSigner.with(rotatedIn).signCanned(url("w_22.jpg"), in(Duration.ofMinutes(5)))));
    }

    @Test
    void missingExpiredAndNotYetValidAreRefused() throws Exception {
        assertRefused("MissingKey", url("w_20.jpg"));
        assertRefused("MissingKey", url("original"));
        assertRefused("AccessDenied", dev().signCanned(url("w_20.jpg"), Instant.now().minusSeconds(1)));
        assertRefused("AccessDenied", dev().signCustom(url("w_20.jpg"), new Policy(null, in(Duration.ofHours(2)),
                in(Duration.ofHours(1)), null)));
        assertRefused("AccessDenied", url("w_20.jpg"), "Cookie",
                dev().cookiesCanned(url("w_20.jpg"), Instant.now().minusSeconds(1)).cookieHeader());
    }

    @Test
    void headIsBehindTheSameCheck() throws Exception {
        long handler = edge.server().handlerInvocations();
        var r = http.send(HttpRequest.newBuilder(URI.create(url("w_20.jpg")))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(403, r.statusCode());
        assertEquals("text/xml", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(handler, edge.server().handlerInvocations());
        // signed, it passes the edge and is served as the GET is, without a body (issue 19: HEAD wherever GET)
        var signed = http.send(HttpRequest.newBuilder(Signed.uri(edge, "/v1/images/" + id + "/w_20.jpg"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertEquals(200, signed.statusCode());
        assertEquals("image/jpeg", signed.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void tamperingWithAnyFieldIsRefused() throws Exception {
        String canned = dev().signCanned(url("w_20.jpg"), in(Duration.ofMinutes(5)));
        assertServed(get(canned));
        // the path (another variant under the same signature)
        assertRefused("AccessDenied", canned.replace("/w_20.jpg?", "/w_200.jpg?"));
        // Expires
        String expires = canned.replaceAll(".*Expires=(\\d+).*", "$1");
        assertRefused("AccessDenied", canned.replace("Expires=" + expires, "Expires=" + (Long.parseLong(expires) + 3600)));
        // Signature: one character changed
        assertRefused("AccessDenied", flipAfter(canned, "Signature="));
        // Key-Pair-Id: a key the group does not hold
        assertRefused("InvalidKey", canned.replace("Key-Pair-Id=" + dev().keyPairId(), "Key-Pair-Id=KSOMEONEELSE"));
        // Hash-Algorithm: a SHA1 signature claimed as SHA256, and an unknown algorithm
        assertRefused("AccessDenied", canned + "&Hash-Algorithm=SHA256");
        assertRefused("MalformedPolicy", canned + "&Hash-Algorithm=MD5");
        // an extra query parameter is part of what a canned policy signs
        assertRefused("AccessDenied", canned.replace("?", "?w=1&"));

        String custom = dev().signCustom(url("w_20.jpg"), new Policy(edge.baseUrl() + "/v1/images/" + id + "/*",
                in(Duration.ofMinutes(5)), null, null));
        assertServed(get(custom));
        // Policy: one character changed (its signature no longer matches, or it no longer decodes)
        var r = get(flipAfter(custom, "Policy="));
        assertEquals(403, r.statusCode());
        // a policy rewritten to cover every image, with the old signature
        String wider = io.imagescaler.signer.CloudFrontBase64.encode(new Policy(edge.baseUrl() + "/*",
                in(Duration.ofMinutes(5)), null, null).customJson());
        assertRefused("AccessDenied", custom.replaceAll("Policy=[^&]+", "Policy=" + wider));
        // cookies: the signature of another URL's cookies
        SignedCookies c = dev().cookiesCanned(url("w_20.jpg"), in(Duration.ofMinutes(5)));
        String forged = c.cookieHeader().replaceAll("CloudFront-Signature=[^;]+",
                "CloudFront-Signature=" + dev().cookiesCanned(url("w_21.jpg"), in(Duration.ofMinutes(5))).values()
                        .get("CloudFront-Signature"));
        assertRefused("AccessDenied", url("w_20.jpg"), "Cookie", forged);
    }

    @Test
    void aSignatureFromTheWrongKeyIsRefused() throws Exception {
        // a stranger's private key, claiming the dev key's id
        var stranger = new SigningKey(dev().keyPairId(), PemKeys.generateRsa2048().getPrivate());
        assertRefused("AccessDenied", UrlSigner.with(stranger).signCanned(url("w_20.jpg"), in(Duration.ofMinutes(5))));
        // a valid key pair the edge does not trust
        var untrusted = new SigningKey("KUNTRUSTED", PemKeys.generateRsa2048().getPrivate());
        assertRefused("InvalidKey", UrlSigner.with(untrusted).signCanned(url("w_20.jpg"), in(Duration.ofMinutes(5))));
    }

    @Test
    void aViewerOutsideThePolicysAddressRangeIsRefused() throws Exception {
        assertRefused("AccessDenied", dev().signCustom(url("w_20.jpg"), new Policy(null, in(Duration.ofMinutes(5)),
                null, IpRange.parse("203.0.113.0/24"))));
        assertServed(get(dev().signCustom(url("w_20.jpg"), new Policy(null, in(Duration.ofMinutes(5)), null,
                IpRange.parse("127.0.0.1/32")))));
    }

    @Test
    void metadataUploadAndDeleteAreNotBehindSignatures() throws Exception {
        var meta = get(edge.baseUrl() + "/v1/images/" + id + "/metadata",
                "Authorization", edge.issuer().bearer(DevIssuer.USER));
        assertEquals(200, meta.statusCode(), new String(meta.body()));
        // without a token the handler (not the signature check) refuses: a problem, not CloudFront's XML
        var anonymous = get(edge.baseUrl() + "/v1/images/" + id + "/metadata");
        assertEquals(401, anonymous.statusCode());
        assertEquals("application/problem+json", anonymous.headers().firstValue("Content-Type").orElseThrow());
    }

    @Test
    void signatureParametersNeverReachABucketKey() throws Exception {
        Policy everyVariant = new Policy(edge.baseUrl() + "/v1/images/" + id + "/*", in(Duration.ofHours(1)), null, null);
        assertServed(get(dev().signCanned(url("w_30.png"), in(Duration.ofMinutes(5)))));
        assertServed(get(url("w_31.png") + "?" + dev().hash(HashAlgorithm.SHA256).customQuery(everyVariant)));
        assertServed(get(url("w_32.png"), "Cookie", dev().cookiesCustom(everyVariant).cookieHeader()));
        assertServed(get(dev().signCanned(url("w_33.png") + "?v=2", in(Duration.ofMinutes(5)))));
        var s3 = edge.wiring().clients().s3();
        List<String> stored = s3.listObjectsV2(r -> r.bucket("image-storage-generated").prefix(id + "/")).contents()
                .stream().map(o -> o.key()).toList();
        for (String variant : List.of("w_30.png", "w_31.png", "w_32.png", "w_33.png")) {
            assertTrue(stored.contains(id + "/" + variant), variant + " in " + stored);
        }
        for (String key : stored) {
            assertTrue(BUCKET_KEY.matcher(key).matches(), key);
            for (String p : List.of("Expires", "Policy", "Signature", "Key-Pair-Id", "Hash-Algorithm", "?", "=")) {
                assertFalse(key.contains(p), key);
            }
        }
        // and the second, differently signed request for the same variant is a bucket hit
        long hits = edge.server().bucketHits();
        assertServed(get(url("w_30.png"), "Cookie", dev().cookiesCustom(everyVariant).cookieHeader()));
        assertEquals(hits + 1, edge.server().bucketHits());
    }

    /** The URL with the character after {@code marker} changed (to another base64 character). */
    private static String flipAfter(String url, String marker) {
        int i = url.indexOf(marker) + marker.length() + 5;
        char c = url.charAt(i);
        return url.substring(0, i) + (c == 'A' ? 'B' : 'A') + url.substring(i + 1);
    }
}
