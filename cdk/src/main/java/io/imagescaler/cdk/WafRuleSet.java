package io.imagescaler.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One web ACL's rules as written in {@code waf-rules/} (a JSON array of WAFv2 {@code Rule} objects, PascalCase
 * keys as in the WAFv2 API), with {@code {{NAME}}} placeholders in strings. The same file is evaluated by the
 * local edge, so the rules are passed to CloudFormation verbatim (their shape is the API's) rather than
 * re-typed into CDK structs; only the placeholders are substituted.
 */
public final class WafRuleSet {
    public static final String CURRENT = "ORIGIN_VERIFY_CURRENT";
    public static final String PREVIOUS = "ORIGIN_VERIFY_PREVIOUS";
    /** Upper-case placeholders only, so CloudFormation's own {@code {{resolve:...}}} references pass untouched. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Z][A-Z0-9_]*)}}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final JsonNode rules;

    private WafRuleSet(String source, JsonNode rules) {
        if (!rules.isArray() || rules.isEmpty()) {
            throw new IllegalArgumentException(source + ": expected a non-empty JSON array of WAFv2 Rule objects");
        }
        for (JsonNode rule : rules) {
            for (String field : List.of("Name", "Priority", "Statement", "VisibilityConfig")) {
                if (!rule.has(field)) {
                    throw new IllegalArgumentException(source + ": rule " + rule.path("Name").asText("#?")
                            + " lacks " + field);
                }
            }
            if (rule.has("Action") == rule.has("OverrideAction")) {
                throw new IllegalArgumentException(source + ": rule " + rule.get("Name").asText()
                        + " needs exactly one of Action and OverrideAction");
            }
        }
        this.source = source;
        this.rules = rules;
    }

    public static WafRuleSet load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("WAF rules not found: " + file
                    + " (written in waf-rules/; point -c wafRulesDir=... elsewhere if needed)");
        }
        try {
            return new WafRuleSet(file.toString(), JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read WAF rules " + file, e);
        }
    }

    public static WafRuleSet parse(String source, String json) {
        try {
            return new WafRuleSet(source, JSON.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": not JSON", e);
        }
    }

    /** Every placeholder name the rules use, in document order. */
    public Set<String> placeholders() {
        Set<String> names = new LinkedHashSet<>();
        collect(rules, names);
        return names;
    }

    /**
     * Which secret value each byte match on {@code header} holds, in document order: {@code current} for
     * {@code {{ORIGIN_VERIFY_CURRENT}}}, {@code previous} for {@code {{ORIGIN_VERIFY_PREVIOUS}}}. The rotation
     * Lambda walks the deployed web ACL in the same order to know which statement gets which value.
     */
    public List<String> originVerifySlots(String header) {
        List<String> slots = new ArrayList<>();
        walkByteMatches(rules, header, slots);
        return slots;
    }

    /** The rules as plain maps and lists (CloudFormation's {@code Rules} shape), placeholders replaced. */
    public List<Object> render(Map<String, String> values) {
        Set<String> unknown = new LinkedHashSet<>(placeholders());
        unknown.removeAll(values.keySet());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(source + ": no value for placeholder(s) " + unknown);
        }
        @SuppressWarnings("unchecked")
        List<Object> out = (List<Object>) toPlain(rules, values);
        return out;
    }

    public int size() {
        return rules.size();
    }

    private static void collect(JsonNode node, Set<String> names) {
        if (node.isTextual()) {
            Matcher m = PLACEHOLDER.matcher(node.asText());
            while (m.find()) {
                names.add(m.group(1));
            }
        } else {
            node.forEach(child -> collect(child, names));
        }
    }

    private static void walkByteMatches(JsonNode node, String header, List<String> slots) {
        if (node.isObject()) {
            JsonNode match = node.get("ByteMatchStatement");
            if (match != null && header.equalsIgnoreCase(match.path("FieldToMatch").path("SingleHeader").path("Name").asText())) {
                String search = match.path("SearchString").asText();
                if (search.contains("{{" + CURRENT + "}}")) {
                    slots.add("current");
                } else if (search.contains("{{" + PREVIOUS + "}}")) {
                    slots.add("previous");
                }
            }
        }
        node.forEach(child -> walkByteMatches(child, header, slots));
    }

    private static Object toPlain(JsonNode node, Map<String, String> values) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.properties().forEach(e -> map.put(e.getKey(), toPlain(e.getValue(), values)));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(child -> list.add(toPlain(child, values)));
            return list;
        }
        if (node.isTextual()) {
            Matcher m = PLACEHOLDER.matcher(node.asText());
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(sb, Matcher.quoteReplacement(values.get(m.group(1))));
            }
            m.appendTail(sb);
            return sb.toString();
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNull()) {
            return null;
        }
        throw new IllegalArgumentException("unexpected JSON node " + node.getNodeType().name().toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return "WafRuleSet[" + source + ", " + rules.size() + " rules]";
    }
}
