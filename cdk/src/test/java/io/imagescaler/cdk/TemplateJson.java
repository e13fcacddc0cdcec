package io.imagescaler.cdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import software.amazon.awscdk.assertions.Template;

/** A synthesized template as a JSON tree, for assertions that follow references between resources. */
record TemplateJson(JsonNode root) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static TemplateJson of(Template template) {
        return new TemplateJson(JSON.valueToTree(template.toJSON()));
    }

    JsonNode resources() {
        return root.get("Resources");
    }

    /** Logical ids and properties of every resource of {@code type}. */
    Map<String, JsonNode> ofType(String type) {
        Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        resources().properties().forEach(e -> {
            if (type.equals(e.getValue().path("Type").asText())) {
                out.put(e.getKey(), e.getValue().path("Properties"));
            }
        });
        return out;
    }

    JsonNode only(String type) {
        Map<String, JsonNode> all = ofType(type);
        if (all.size() != 1) {
            throw new AssertionError("expected one " + type + ", found " + all.keySet());
        }
        return all.values().iterator().next();
    }

    String onlyId(String type) {
        Map<String, JsonNode> all = ofType(type);
        if (all.size() != 1) {
            throw new AssertionError("expected one " + type + ", found " + all.keySet());
        }
        return all.keySet().iterator().next();
    }

    /** Every object node under {@code node} (itself included) that satisfies {@code test}, in document order. */
    static List<JsonNode> find(JsonNode node, Predicate<JsonNode> test) {
        List<JsonNode> out = new ArrayList<>();
        walk(node, test, out);
        return out;
    }

    private static void walk(JsonNode node, Predicate<JsonNode> test, List<JsonNode> out) {
        if (node.isObject() && test.test(node)) {
            out.add(node);
        }
        node.forEach(child -> walk(child, test, out));
    }

    /** Every string value under {@code node}. */
    static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        collect(node, out);
        return out;
    }

    private static void collect(JsonNode node, List<String> out) {
        if (node.isTextual()) {
            out.add(node.asText());
        }
        node.forEach(child -> collect(child, out));
    }

    /** {@code {"Ref": id}} or {@code {"Fn::GetAtt": [id, ...]}} naming {@code logicalId}, anywhere under node. */
    static boolean references(JsonNode node, String logicalId) {
        return !find(node, n -> logicalId.equals(n.path("Ref").asText())
                || logicalId.equals(n.path("Fn::GetAtt").path(0).asText())).isEmpty();
    }
}
