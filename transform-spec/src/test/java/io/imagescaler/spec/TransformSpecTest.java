package io.imagescaler.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TransformSpecTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "w_800                                   | w_800",
            "fit_cover,h_600,w_800,q_75,pos_smart     | w_800,h_600,fit_cover,pos_smart,q_75",
            "up_sr,dpr_2,w_400                       | w_400,dpr_2,up_sr",
            "p_thumb                                 | p_thumb",
            "w_0800,fit_inside,pos_center,dpr_1.50     | w_800,dpr_1.5",
            "flop,flip,rot_90,gray,sharpen_1,blur_2.5,bg_FFAA00 | bg_ffaa00,blur_2.5,sharpen_1,gray,rot_90,flip,flop",
            "pos_fp:0.30:1,w_10                      | w_10,pos_fp:0.3:1",
            "gray_1,w_5                              | w_5,gray",
            "full                                    | full",
            "fit_inside                              | full",
    })
    void parsesAnyOrderAndPrintsOneCanonicalSpelling(String in, String canonical) {
        TransformSpec spec = TransformSpec.parse(in);
        assertEquals(canonical, spec.canonical());
        assertEquals(spec, TransformSpec.parse(spec.canonical()), "canonical spelling parses back to itself");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "w_", "w_0", "w_16385", "w_-1", "w_1e3", "x_1", "w_10,w_20", "fit_crop",
            "q_101", "dpr_5", "dpr_0.5", "rot_45", "bg_red", "blur_0.1", "gray_yes", "pos_middle",
            "pos_fp:2:0", "p_Thumb", "w_800,,h_2", "W_800"})
    void refusesWhatIsNotInTheLanguage(String in) {
        InvalidTransformException e = assertThrows(InvalidTransformException.class, () -> TransformSpec.parse(in));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }

    @Test
    void dprScalesTheTargetBox() {
        TransformSpec s = TransformSpec.parse("w_400,h_301,dpr_1.5");
        assertEquals(600, s.pixelWidth());
        assertEquals(452, s.pixelHeight());
    }

    @Test
    void variantPathSplitsFormatAndKeepsAuto() {
        VariantPath v = VariantPath.parse("h_10,w_20.jpeg");
        assertEquals("w_20,h_10.jpg", v.canonical());
        assertEquals("p_card.auto", VariantPath.parse("p_card.auto").canonical());
        assertThrows(InvalidTransformException.class, () -> VariantPath.parse("w_20.bmp"));
        assertThrows(InvalidTransformException.class, () -> VariantPath.parse("w_20"));
    }

    @Test
    void builderReadsLikeASentenceAndPrintsTheCanonicalPath() {
        String id = "A".repeat(43);
        String path = Variant.of(id).width(800).fit(Fit.COVER).format(ImageFormat.WEBP).path();
        assertEquals("/v1/images/" + id + "/w_800,fit_cover.webp", path);
        assertEquals(id + "/w_800,fit_cover.webp",
                Variant.of(id).fit(Fit.COVER).width(800).format(ImageFormat.WEBP).storageKey());
        assertEquals("/v1/images/" + id + "/p_thumb.auto", Variant.of(id).preset("thumb").path());
    }

    @Test
    void imageIdsAre43UrlSafeCharacters() {
        ImageId id = ImageId.random();
        assertEquals(43, id.value().length());
        assertTrue(ImageId.isValid(id.value()));
        assertThrows(IllegalArgumentException.class, () -> new ImageId("../etc/passwd"));
    }
}
