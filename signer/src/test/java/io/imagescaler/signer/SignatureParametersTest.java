package io.imagescaler.signer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SignatureParametersTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/v1/images/x/w_800.webp?Expires=1&Signature=a~b_&Key-Pair-Id=K | /v1/images/x/w_800.webp",
            "/a.jpg?v=2&Policy=eyJ&Signature=s&Key-Pair-Id=K&Hash-Algorithm=SHA256 | /a.jpg?v=2",
            "/a.jpg?Expires=1&v=2&Signature=s&w=3 | /a.jpg?v=2&w=3",
            "https://h.test/a.jpg?expires=1&EXPIRES=2 | https://h.test/a.jpg?expires=1&EXPIRES=2",
            "https://h.test/a.jpg | https://h.test/a.jpg",
            "https://h.test/a.jpg? | https://h.test/a.jpg",
            "/a.jpg?Signature&Key-Pair-Id= | /a.jpg",
            "/a.jpg?x=1&&Expires=5#frag | /a.jpg?x=1#frag",
    })
    void stripsOnlyCloudFrontsCaseSensitiveNames(String url, String expected) {
        assertEquals(expected, SignatureParameters.strip(url));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Expires=1&Signature=2&Key-Pair-Id=3 | ''",
            "b=2&a=1&Policy=p | b=2&a=1",
    })
    void stripsARawQuery(String query, String expected) {
        assertEquals(expected, SignatureParameters.stripQuery(query));
    }
}
