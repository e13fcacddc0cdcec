package io.imagescaler.signer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudFrontBase64Test {
    @Test
    void replacesTheThreeCharacters() {
        byte[] bytes = {(byte) 0xfb, (byte) 0xff, (byte) 0xbf, 0x41};
        assertEquals("-~-~QQ__", CloudFrontBase64.encode(bytes));
        assertArrayEquals(bytes, CloudFrontBase64.decode("-~-~QQ__"));
        assertArrayEquals(bytes, CloudFrontBase64.decode("+/+/QQ=="));
    }

    @Test
    void nonCanonicalSpellingsAreRefused() {
        // "QR" carries the same first byte as "QQ" plus unused bits a lenient decoder drops
        assertThrows(IllegalArgumentException.class, () -> CloudFrontBase64.decode("QR__"));
        assertThrows(IllegalArgumentException.class, () -> CloudFrontBase64.decode("QQ"));
    }

    @Test
    void aSignatureWithAlteredUnusedBitsIsRefused() {
        String url = "https://x.test/a.jpg";
        Instant exp = Instant.parse("2030-01-01T00:00:00Z");
        String signed = UrlSigner.with(TestKeys.signingA()).signCanned(url, exp);
        String sig = SignatureVerifierTest.paramValue(signed, "Signature");
        // 256 signature bytes end in one byte: two characters, the second with four unused bits, then "__"
        char last = sig.charAt(sig.length() - 3);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-~";
        char sibling = alphabet.charAt(alphabet.indexOf(last) ^ 1);
        String edited = sig.substring(0, sig.length() - 3) + sibling + "__";
        Verdict v = new SignatureVerifier(TestKeys.groupA()).verify(
                SignatureVerifierTest.withParam(signed, "Signature", edited), Map.of(), "1.1.1.1", exp.minusSeconds(5));
        assertFalse(v.allowed());
        assertEquals(Verdict.Outcome.TAMPERED, v.outcome());
    }
}
