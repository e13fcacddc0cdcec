package io.imagescaler.edge.negotiation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.ImageId;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Java edge against the shared table edge/accept-formats.json. */
class FormatNegotiationTest {
    static JsonNode table() throws IOException {
        try (InputStream in = FormatNegotiationTest.class.getClassLoader().getResourceAsStream("edge/accept-formats.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : table().path("cases")) {
            out.add(Arguments.of(c.path("name").asText(), c.path("accept").asText(), c.path("hasAlpha").asBoolean(),
                    c.path("avifEncoder").asBoolean(), c.path("expected").asText()));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void tableCase(String name, String accept, boolean hasAlpha, boolean avifEncoder, String expected) {
        ImageFormat chosen = new FormatNegotiation(avifEncoder).choose(accept, hasAlpha);
        assertEquals(expected, chosen.extension(), name);
    }

    @Test
    void tableCoversEveryOutcome() throws IOException {
        List<String> outcomes = new ArrayList<>();
        table().path("cases").forEach(c -> outcomes.add(c.path("expected").asText()));
        assertTrue(outcomes.containsAll(List.of("avif", "webp", "jpg", "png")));
    }

    @Test
    void nullAcceptIsLikeNone() {
        assertEquals(ImageFormat.JPG, new FormatNegotiation(true).choose(null, false));
        assertEquals(ImageFormat.PNG, new FormatNegotiation(true).choose(null, true));
    }

    @Test
    void rewriteOnlyTouchesAutoVariantPaths() {
        String id = ImageId.random().value();
        FormatNegotiation n = new FormatNegotiation(true);
        String chrome = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";
        assertEquals("/v1/images/" + id + "/w_800,fit_cover.avif",
                n.rewrite("/v1/images/" + id + "/w_800,fit_cover.auto", chrome, false));
        assertEquals("/v1/images/" + id + "/p_thumb.png", n.rewrite("/v1/images/" + id + "/p_thumb.auto", "*/*", true));
        for (String untouched : List.of("/v1/images/" + id + "/w_800.webp", "/v1/images/" + id + "/original",
                "/v1/images/short/w_1.auto", "/v1/images/" + id + "/a/b.auto", "/v1/stats")) {
            assertEquals(untouched, n.rewrite(untouched, chrome, false));
        }
        assertTrue(FormatNegotiation.isAuto("/v1/images/" + id + "/w_1.auto"));
        assertFalse(FormatNegotiation.isAuto("/v1/images/" + id + "/w_1.jpg"));
    }
}
