package io.imagescaler.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.edge.negotiation.VariantRequestFunction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
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

    /**
     * A second, independent engine: node (V8) runs the same template code on the same table, so a Rhino quirk
     * cannot make the table pass. Skipped without node.
     */
    @Test
    void nodeAgreesWithRhinoOnEveryTableCase() throws Exception {
        JsonNode table = new ObjectMapper().readTree(Files.readString(
                RepoLayout.discover().root().resolve("waf-rules/src/main/resources/edge/accept-formats.json")));
        String script = code + "\nvar table = " + table + ";\nvar out = [];\n"
                + "table.cases.forEach(function (c) {\n"
                + "  var headers = c.accept === null ? {} : {accept: {value: c.accept}};\n"
                + "  out.push(handler({version: '1.0', context: {eventType: 'viewer-request'}, viewer: {ip: '127.0.0.1'},"
                + " request: {method: 'GET', uri: '/v1/images/" + ID + "/w_640%2Cfit_cover.auto', querystring: {},"
                + " headers: headers, cookies: {}}}).uri);\n"
                + "});\nconsole.log(JSON.stringify(out));\n";
        Path file = Files.createTempFile(Files.createDirectories(Path.of("target")), "cf-function", ".js");
        Files.writeString(file, script);
        Process p;
        try {
            p = new ProcessBuilder("node", file.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.assumeTrue(false, "node is not installed");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<String> rhino = new ArrayList<>();
        for (JsonNode c : table.path("cases")) {
            Map<String, String> headers = new HashMap<>();
            if (!c.get("accept").isNull()) {
                headers.put("Accept", c.get("accept").asText());
            }
            rhino.add(deployed.originUri("GET", "/v1/images/" + ID + "/w_640%2Cfit_cover.auto", headers));
        }
        assertEquals(new ObjectMapper().writeValueAsString(rhino), out);
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
