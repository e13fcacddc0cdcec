package io.imagescaler.edge.negotiation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The function source this module ships (edge/variant-request.js), run in Rhino, against the shared table. */
class VariantRequestFunctionTest {
    static final String ID = "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF";
    static final VariantRequestFunction DEPLOYED = VariantRequestFunction.bundled();
    static final VariantRequestFunction NO_AVIF = DEPLOYED.encoding(Set.of("webp", "jpg", "png", "gif"));

    static JsonNode table() throws IOException {
        try (InputStream in = VariantRequestFunctionTest.class.getClassLoader()
                .getResourceAsStream("edge/accept-formats.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : table().path("cases")) {
            out.add(Arguments.of(c.path("name").asText(), c.get("accept").isNull() ? null : c.get("accept").asText(),
                    c.path("avif").asText(), c.path("noAvif").asText()));
        }
        return out.stream();
    }

    static Map<String, String> accept(String value) {
        Map<String, String> h = new HashMap<>();
        if (value != null) {
            h.put("Accept", value);
        }
        return h;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void autoBecomesWhatTheTableSays(String name, String accept, String withAvif, String withoutAvif) {
        String uri = "/v1/images/" + ID + "/w_800,fit_cover.auto";
        assertEquals("/" + ID + "/w_800,fit_cover." + withAvif, DEPLOYED.originUri("GET", uri, accept(accept)), name);
        assertEquals("/" + ID + "/w_800,fit_cover." + withoutAvif, NO_AVIF.originUri("GET", uri, accept(accept)), name);
    }

    @Test
    void theTableCoversEveryOutcomeAndTheDeployedEngineEncodesEveryFormat() throws IOException {
        List<String> outcomes = new ArrayList<>();
        table().path("cases").forEach(c -> outcomes.add(c.path("avif").asText()));
        assertTrue(outcomes.containsAll(List.of("avif", "webp", "auto")), outcomes.toString());
        assertEquals(Set.of("avif", "webp", "jpg", "png", "gif"), DEPLOYED.encodes());
        assertEquals(Set.of("webp", "jpg", "png", "gif"), NO_AVIF.encodes());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // AWS's JS signer percent-encodes ',' (and a client may encode anything); one spelling reaches the cache
            "/v1/images/" + ID + "/w_400%2Ch_300%2Cfit_cover.webp|/" + ID + "/w_400,h_300,fit_cover.webp",
            "/v1/images/" + ID + "/w_400%2ch_300%2cfit_cover.webp|/" + ID + "/w_400,h_300,fit_cover.webp",
            "/v1/images/" + ID + "/w%5F400%2Ch%5f300.png|/" + ID + "/w_400,h_300.png",
            "/v1/images/" + ID + "/%77_400.jpeg|/" + ID + "/w_400.jpg",
            "/v1/images/" + ID + "/w_400%2Eavif|/" + ID + "/w_400.avif",
            "/v1/images/" + ID + "/w_400.WEBP|/" + ID + "/w_400.webp",
            // never decoded: a '/' or '%' or a space would change the path's meaning; the handler answers 400
            "/v1/images/" + ID + "/w_400%2Fx.webp|/" + ID + "/w_400%2Fx.webp",
            "/v1/images/" + ID + "/w_400%2fx.webp|/" + ID + "/w_400%2Fx.webp",
            "/v1/images/" + ID + "/w_400%252C.webp|/" + ID + "/w_400%252C.webp",
            "/v1/images/" + ID + "/w_400%20.webp|/" + ID + "/w_400%20.webp",
            // not variants: only the prefix goes (the origin group's two origins share the request path)
            "/v1/images/short/w_1.auto|/short/w_1.auto",
            "/v1/images/" + ID + "/a/b.auto|/" + ID + "/a/b.auto",
            "/v1/uploads|/v1/uploads"})
    void percentEncodingIsDecodedBeforeTheCacheLookup(String viewerUri, String originUri) {
        assertEquals(originUri, DEPLOYED.originUri("GET", viewerUri, accept("image/webp")));
    }

    @Test
    void encodedAutoIsNegotiatedLikePlainAuto() {
        assertEquals("/" + ID + "/w_400,h_300.webp",
                NO_AVIF.originUri("GET", "/v1/images/" + ID + "/w_400%2Ch_300.auto", accept("image/avif,image/webp")));
    }

    @Test
    void aSourceWithoutTheEncodesLineIsRefused() {
        VariantRequestFunction other = VariantRequestFunction.of("function handler(event) { return event.request; }");
        assertThrows(IllegalStateException.class, () -> other.encoding(Set.of("jpg")));
        assertThrows(IllegalArgumentException.class, () -> VariantRequestFunction.of("var x = 1;"));
    }
}
