package io.imagescaler.waf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Statement semantics on small inline rule files. */
class StatementsTest {
    static final Instant T = Instant.parse("2026-11-23T12:00:00Z");

    static WafEvaluator single(String statement) {
        return single(statement, "Block");
    }

    static WafEvaluator single(String statement, String action) {
        return WafEvaluator.load("[{\"Name\":\"r\",\"Priority\":1,\"Action\":{\"" + action + "\":{}},\"Statement\":"
                + statement + ",\"VisibilityConfig\":{}}]", Map.of(), WafAction.ALLOW, 8192);
    }

    static String byteMatch(String field, String position, String search, String transform) {
        return "{\"ByteMatchStatement\":{\"FieldToMatch\":" + field + ",\"PositionalConstraint\":\"" + position
                + "\",\"SearchString\":\"" + search + "\",\"TextTransformations\":[{\"Priority\":0,\"Type\":\""
                + transform + "\"}]}}";
    }

    static boolean blocks(WafEvaluator e, WafRequest r) {
        return e.evaluate(r).blocked();
    }

    static WafRequest req(String method, String path, Map<String, String> headers) {
        return WafRequest.of(method, path, headers, "192.0.2.1", T);
    }

    @ParameterizedTest
    @CsvSource({
            "EXACTLY, /admin, NONE, /admin, true",
            "EXACTLY, /admin, NONE, /admin/x, false",
            "EXACTLY, /admin, NONE, /ADMIN, false",
            "EXACTLY, /admin, LOWERCASE, /ADMIN, true",
            "STARTS_WITH, /v1/, NONE, /v1/images, true",
            "STARTS_WITH, /v1/, NONE, /v2/v1/, false",
            "ENDS_WITH, .php, NONE, /index.php, true",
            "ENDS_WITH, .php, NONE, /index.php/x, false",
            "ENDS_WITH, .php, LOWERCASE, /INDEX.PHP, true",
            "CONTAINS, etc/passwd, NONE, /a/../etc/passwd, true",
            "CONTAINS, etc/passwd, NONE, /a/etc/shadow, false",
            "CONTAINS_WORD, admin, NONE, /x/admin/y, true",
            "CONTAINS_WORD, admin, NONE, /x/administrator, false",
    })
    void byteMatchOnUriPath(String position, String search, String transform, String path, boolean matches) {
        WafEvaluator e = single(byteMatch("{\"UriPath\":{}}", position, search, transform));
        assertEquals(matches, blocks(e, req("GET", path, Map.of())));
    }

    @Test
    void byteMatchOnHeaderQueryAndArgument() {
        WafEvaluator header = single(byteMatch("{\"SingleHeader\":{\"Name\":\"User-Agent\"}}", "CONTAINS", "sqlmap", "LOWERCASE"));
        assertTrue(blocks(header, req("GET", "/", Map.of("user-agent", "SQLMap/1.7"))));
        assertFalse(blocks(header, req("GET", "/", Map.of("user-agent", "curl/8"))));
        assertFalse(blocks(header, req("GET", "/", Map.of())), "a missing header never matches");

        WafEvaluator query = single(byteMatch("{\"QueryString\":{}}", "CONTAINS", "debug=1", "NONE"));
        assertTrue(blocks(query, req("GET", "/", Map.of()).withQuery("a=2&debug=1")));
        assertFalse(blocks(query, req("GET", "/", Map.of())));

        WafEvaluator arg = single(byteMatch("{\"SingleQueryArgument\":{\"Name\":\"mode\"}}", "EXACTLY", "raw", "NONE"));
        assertTrue(blocks(arg, req("GET", "/", Map.of()).withQuery("x=1&MODE=raw")));
        assertFalse(blocks(arg, req("GET", "/", Map.of()).withQuery("x=raw")));
    }

    @ParameterizedTest
    @CsvSource({"EQ, 5, true", "EQ, 6, false", "NE, 6, true", "LE, 5, true", "LE, 4, false", "LT, 6, true",
            "LT, 5, false", "GE, 5, true", "GE, 6, false", "GT, 4, true", "GT, 5, false"})
    void sizeConstraintOperators(String op, long size, boolean matches) {
        WafEvaluator e = single("{\"SizeConstraintStatement\":{\"FieldToMatch\":{\"SingleHeader\":{\"Name\":\"x-a\"}},"
                + "\"ComparisonOperator\":\"" + op + "\",\"Size\":" + size
                + ",\"TextTransformations\":[{\"Priority\":0,\"Type\":\"NONE\"}]}}");
        assertEquals(matches, blocks(e, req("GET", "/", Map.of("x-a", "hello"))));
        assertFalse(blocks(e, req("GET", "/", Map.of())), "a missing header never matches");
    }

    @ParameterizedTest
    @CsvSource({
            // handling, body size, matches (GT 10000 with an 8 KiB inspection limit)
            "CONTINUE, 9000, false", "CONTINUE, 20000, false",
            "MATCH, 8192, false", "MATCH, 8193, true",
            "NO_MATCH, 20000, false"})
    void bodySizeFollowsTheInspectionLimit(String handling, long bodySize, boolean matches) {
        WafEvaluator e = single("{\"SizeConstraintStatement\":{\"FieldToMatch\":{\"Body\":{\"OversizeHandling\":\""
                + handling + "\"}},\"ComparisonOperator\":\"GT\",\"Size\":10000,"
                + "\"TextTransformations\":[{\"Priority\":0,\"Type\":\"NONE\"}]}}");
        assertEquals(matches, blocks(e, req("POST", "/", Map.of()).withBody(bodySize)));
    }

    @Test
    void bodySizeWithinTheInspectionLimitIsExact() {
        WafEvaluator e = single("{\"SizeConstraintStatement\":{\"FieldToMatch\":{\"Body\":{}},\"ComparisonOperator\":\"GT\","
                + "\"Size\":1000,\"TextTransformations\":[{\"Priority\":0,\"Type\":\"NONE\"}]}}");
        assertTrue(blocks(e, req("POST", "/", Map.of()).withBody(1001)));
        assertFalse(blocks(e, req("POST", "/", Map.of()).withBody(1000)));
    }

    @Test
    void andOrNot() {
        String post = byteMatch("{\"Method\":{}}", "EXACTLY", "POST", "NONE");
        String admin = byteMatch("{\"UriPath\":{}}", "STARTS_WITH", "/admin", "NONE");
        WafEvaluator and = single("{\"AndStatement\":{\"Statements\":[" + post + "," + admin + "]}}");
        assertTrue(blocks(and, req("POST", "/admin/x", Map.of())));
        assertFalse(blocks(and, req("GET", "/admin/x", Map.of())));
        assertFalse(blocks(and, req("POST", "/x", Map.of())));
        WafEvaluator or = single("{\"OrStatement\":{\"Statements\":[" + post + "," + admin + "]}}");
        assertTrue(blocks(or, req("GET", "/admin", Map.of())));
        assertTrue(blocks(or, req("POST", "/x", Map.of())));
        assertFalse(blocks(or, req("GET", "/x", Map.of())));
        WafEvaluator not = single("{\"NotStatement\":{\"Statement\":" + post + "}}");
        assertTrue(blocks(not, req("GET", "/", Map.of())));
        assertFalse(blocks(not, req("POST", "/", Map.of())));
    }

    @Test
    void regexMatch() {
        WafEvaluator e = single("{\"RegexMatchStatement\":{\"FieldToMatch\":{\"UriPath\":{}},\"RegexString\":"
                + "\"\\\\.(php|asp)$\",\"TextTransformations\":[{\"Priority\":0,\"Type\":\"LOWERCASE\"}]}}");
        assertTrue(blocks(e, req("GET", "/x/INDEX.PHP", Map.of())));
        assertFalse(blocks(e, req("GET", "/x/index.php.jpg", Map.of())));
    }

    @Test
    void countContinuesAllowTerminatesPriorityOrders() {
        String rules = "["
                + "{\"Name\":\"block-all\",\"Priority\":30,\"Action\":{\"Block\":{}},\"Statement\":"
                + byteMatch("{\"UriPath\":{}}", "STARTS_WITH", "/", "NONE") + "},"
                + "{\"Name\":\"count-images\",\"Priority\":10,\"Action\":{\"Count\":{}},\"Statement\":"
                + byteMatch("{\"UriPath\":{}}", "STARTS_WITH", "/v1/images", "NONE") + "},"
                + "{\"Name\":\"allow-health\",\"Priority\":20,\"Action\":{\"Allow\":{}},\"Statement\":"
                + byteMatch("{\"UriPath\":{}}", "EXACTLY", "/health", "NONE") + "}]";
        WafEvaluator e = WafEvaluator.load(rules, Map.of(), WafAction.ALLOW, 8192);
        assertEquals(List.of("count-images", "allow-health", "block-all"), e.ruleNames());
        WafDecision health = e.evaluate(req("GET", "/health", Map.of()));
        assertEquals(WafAction.ALLOW, health.action());
        assertEquals("allow-health", health.terminatingRule());
        WafDecision image = e.evaluate(req("GET", "/v1/images/x", Map.of()));
        assertEquals(WafAction.BLOCK, image.action());
        assertEquals(List.of("count-images"), image.countedRules());
        assertEquals("block-all", image.terminatingRule());
    }

    @Test
    void defaultActionWhenNothingMatches() {
        WafEvaluator e = WafEvaluator.load("[{\"Name\":\"r\",\"Priority\":0,\"Action\":{\"Allow\":{}},\"Statement\":"
                + byteMatch("{\"Method\":{}}", "EXACTLY", "GET", "NONE") + "}]", Map.of(), WafAction.BLOCK, 8192);
        assertEquals(WafAction.ALLOW, e.evaluate(req("GET", "/", Map.of())).action());
        WafDecision d = e.evaluate(req("PUT", "/", Map.of()));
        assertEquals(WafAction.BLOCK, d.action());
        assertNull(d.terminatingRule());
        assertTrue(d.describe().contains("default action"));
    }

    @Test
    void rateBasedWithScopeDownCountsOnlyScopedRequests() {
        WafEvaluator e = single("{\"RateBasedStatement\":{\"Limit\":10,\"EvaluationWindowSec\":60,\"AggregateKeyType\":\"IP\","
                + "\"ScopeDownStatement\":" + byteMatch("{\"Method\":{}}", "EXACTLY", "POST", "NONE") + "}}");
        for (int i = 0; i < 50; i++) {
            assertFalse(blocks(e, WafRequest.of("GET", "/", Map.of(), "192.0.2.1", T.plusMillis(i))));
        }
        for (int i = 0; i < 10; i++) {
            assertFalse(blocks(e, WafRequest.of("POST", "/", Map.of(), "192.0.2.1", T.plusSeconds(i))));
        }
        assertTrue(blocks(e, WafRequest.of("POST", "/", Map.of(), "192.0.2.1", T.plusSeconds(10))));
        // 60 s after the first POST it has left the window: 10 in the window again, the 11th would exceed
        assertFalse(blocks(e, WafRequest.of("POST", "/", Map.of(), "192.0.2.1", T.plusSeconds(61))));
        assertFalse(blocks(e, WafRequest.of("POST", "/", Map.of(), "192.0.2.1", T.plusSeconds(62))));
    }

    @Test
    void loadRefusesWhatItCannotEvaluate() {
        assertThrows(IllegalArgumentException.class, () -> single(
                "{\"GeoMatchStatement\":{\"CountryCodes\":[\"XX\"]}}"));
        assertThrows(IllegalArgumentException.class, () -> single(
                byteMatch("{\"UriPath\":{}}", "EXACTLY", "/", "URL_DECODE")));
        assertThrows(IllegalArgumentException.class, () -> single(
                byteMatch("{\"Body\":{}}", "CONTAINS", "<script", "NONE")));
        assertThrows(IllegalArgumentException.class, () -> single(
                byteMatch("{\"UriPath\":{}}", "SOMEWHERE", "/", "NONE")));
        assertThrows(IllegalArgumentException.class, () -> single(
                byteMatch("{\"UriPath\":{}}", "EXACTLY", "/", "NONE"), "Captcha"));
        assertThrows(IllegalArgumentException.class, () -> single("{\"NotStatement\":{\"Statement\":"
                + "{\"RateBasedStatement\":{\"Limit\":100,\"AggregateKeyType\":\"IP\"}}}}"));
        assertThrows(IllegalArgumentException.class, () -> single(
                "{\"RateBasedStatement\":{\"Limit\":100,\"AggregateKeyType\":\"CUSTOM_KEYS\"}}"));
        assertThrows(IllegalArgumentException.class, () -> single(
                "{\"RateBasedStatement\":{\"Limit\":100,\"EvaluationWindowSec\":30,\"AggregateKeyType\":\"IP\"}}"));
        assertThrows(IllegalArgumentException.class, () -> single(
                "{\"OrStatement\":{\"Statements\":[" + byteMatch("{\"Method\":{}}", "EXACTLY", "GET", "NONE") + "]}}"));
        assertThrows(IllegalArgumentException.class, () -> WafEvaluator.load("{}", Map.of(), WafAction.ALLOW, 8192));
    }
}
