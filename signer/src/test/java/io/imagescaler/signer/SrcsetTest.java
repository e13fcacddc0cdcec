package io.imagescaler.signer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.spec.Fit;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.ImageId;
import io.imagescaler.spec.Variant;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SrcsetTest {
    static final String ORIGIN = "https://d111111abcdef8.cloudfront.net";
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    @Test
    void unsignedWidths() {
        ImageId id = ImageId.random();
        String srcset = Srcset.widths(Variant.of(id).fit(Fit.COVER).format(ImageFormat.WEBP), 320, 640);
        assertEquals("/v1/images/" + id + "/w_320,fit_cover.webp 320w, /v1/images/" + id + "/w_640,fit_cover.webp 640w",
                srcset);
    }

    @Test
    void oneSignatureCoversEveryWidthAndNoOtherImage() {
        ImageId id = ImageId.random();
        String srcset = Srcset.signed(UrlSigner.with(TestKeys.signingA()).hash(HashAlgorithm.SHA256), ORIGIN + "/",
                Variant.of(id).format(ImageFormat.AVIF), NOW.plusSeconds(600), 320, 640, 1280);
        List<String> urls = Arrays.stream(srcset.split(", ")).map(e -> e.substring(0, e.lastIndexOf(' '))).toList();
        assertEquals(3, urls.size());
        assertTrue(urls.get(2).startsWith(ORIGIN + "/v1/images/" + id + "/w_1280.avif?Policy="));
        assertEquals(1, urls.stream().map(u -> u.substring(u.indexOf("Signature="))).distinct().count());
        SignatureVerifier verifier = new SignatureVerifier(TestKeys.groupA());
        for (String u : urls) {
            assertTrue(verifier.verify(u, Map.of(), "192.0.2.1", NOW).allowed(), u);
        }
        String otherImage = urls.get(0).replace(id.value(), ImageId.random().value());
        assertEquals(Verdict.Outcome.RESOURCE_MISMATCH, verifier.verify(otherImage, Map.of(), "192.0.2.1", NOW).outcome());
        assertEquals(Verdict.Outcome.EXPIRED,
                verifier.verify(urls.get(0), Map.of(), "192.0.2.1", NOW.plusSeconds(600)).outcome());
    }
}
