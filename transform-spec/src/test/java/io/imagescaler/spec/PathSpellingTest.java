package io.imagescaler.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathSpellingTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/v1/images/x/w_400%2Ch_300%2Cfit_cover.webp|/v1/images/x/w_400,h_300,fit_cover.webp",
            "/v1/images/x/w_400%2ch_300.webp|/v1/images/x/w_400,h_300.webp",
            "/v1/images/x/w%5F400%5f.png|/v1/images/x/w_400_.png",
            "/v1/images/x/%77_1%2Eavif|/v1/images/x/w_1.avif",
            "/v1/images/x/a%2Fb|/v1/images/x/a%2Fb",
            "/v1/images/x/a%2fb|/v1/images/x/a%2Fb",
            "/v1/images/x/a%252C|/v1/images/x/a%252C",
            "/v1/images/x/a%20b%zz|/v1/images/x/a%20b%zz",
            "/v1/images/x/w_1.jpg|/v1/images/x/w_1.jpg"})
    void decodesOnlyWhatNeedsNoEscaping(String in, String out) {
        assertEquals(out, PathSpelling.plain(in));
    }

    @ParameterizedTest
    @CsvSource({"w_400%2Ch_300%2Cfit_cover.webp", "w_400%2ch_300%2cfit_cover.webp", "w%5F400%2Ch%5F300%2Cfit%5Fcover.webp"})
    void anEncodedVariantHasThePlainCanonicalSpelling(String segment) {
        assertEquals("w_400,h_300,fit_cover.webp", VariantPath.parse(PathSpelling.plain(segment)).canonical());
    }
}
