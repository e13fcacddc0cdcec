package io.imagescaler.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.edge.negotiation.VariantRequestFunction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CloudFront Function as CloudFormation receives it: its {@code FunctionCode} is pulled out of the synthesized
 * template and run in a JavaScript engine with CloudFront viewer-request events, against the Accept table the
 * local edge is tested with (waf-rules edge/accept-formats.json) and URIs as AWS's JS signer spells them.
 */
class CloudFrontFunctionTableTest {
    static final String ID = "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF";
    static String code;
    static VariantRequestFunction deployed;

    @BeforeAll
    static void synthesize() {
        TemplateJson t = TemplateJson.of(Synthesized.with("function", Map.of()).template());
        code = t.only("AWS::CloudFront::Function").get("FunctionCode").asText();
        deployed = VariantRequestFunction.of(code);
    }

    @Test
    void fitsCloudFrontFunctionsSizeLimitAndNeedsNoModule() {
        assertTrue(code.getBytes(StandardCharsets.UTF_8).length <= 10 * 1024, "CloudFront Functions take at most 10 KB");
        assertTrue(!code.contains("import ") && !code.contains("require("), "no module: the local edge runs it as is");
    }

    @Test
    void theDeployedEngineEncodesAvifSoModernBrowsersGetIt() {
        // Lambda runs the native (libvips) engine, which encodes every format the API names
        assertEquals(Set.of("avif", "webp", "jpg", "png", "gif"), deployed.encodes());
    }

    @Test
    void everyAcceptHeaderOfTheTableGetsItsFormat() throws Exception {
        JsonNode table = new ObjectMapper().readTree(Files.readString(
                RepoLayout.discover().root().resolve("waf-rules/src/main/resources/edge/accept-formats.json")));
        int checked = 0;
        for (JsonNode c : table.path("cases")) {
            Map<String, String> headers = new HashMap<>();
            if (!c.get("accept").isNull()) {
                headers.put("Accept", c.get("accept").asText());
            }
            String uri = deployed.originUri("GET", "/v1/images/" + ID + "/w_640,fit_cover.auto", headers);
            // 'auto' stays for the origin: PNG for an original with alpha, JPEG otherwise (never JPEG for alpha)
            assertEquals("/" + ID + "/w_640,fit_cover." + c.get("avif").asText(), uri, c.get("name").asText());
            checked++;
        }
        assertTrue(checked >= 10, "table read: " + checked);
    }

    @Test
    void percentEncodedTransformsReachTheCacheInTheirPlainSpelling() {
        for (String spelling : new String[] {"w_400%2Ch_300%2Cfit_cover", "w_400%2ch_300%2cfit_cover",
                "w%5F400%2Ch%5f300%2Cfit%5Fcover", "w_400,h_300,fit_cover"}) {
            assertEquals("/" + ID + "/w_400,h_300,fit_cover.webp",
                    deployed.originUri("GET", "/v1/images/" + ID + "/" + spelling + ".webp", Map.of()), spelling);
        }
    }
}
