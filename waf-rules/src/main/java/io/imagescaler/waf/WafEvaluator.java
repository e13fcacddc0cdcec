package io.imagescaler.waf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Evaluates a web ACL's rules, given as the JSON array of WAFv2 {@code Rule} objects that {@code cdk/} deploys,
 * against one request at a time, as WAF does: by ascending priority, Count rules noted and passed, the first
 * matching Allow or Block rule decides, otherwise the default action. Statements the local edge cannot
 * evaluate are refused when the file is loaded, except AWS managed rule groups, which are reported as not
 * evaluated locally. Rate-based rules keep their counters in this instance: share one evaluator per ACL.
 */
public final class WafEvaluator {
    /** The two ACL files of this repository, on the classpath. */
    public static final String REGIONAL_ACL = "waf/regional-acl.json";
    public static final String CLOUDFRONT_ACL = "waf/cloudfront-acl.json";

    /** WAF's default body inspection limit for API Gateway (regional) web ACLs. */
    public static final int REGIONAL_BODY_INSPECTION_LIMIT = 8 * 1024;
    /** WAF's default body inspection limit for CloudFront web ACLs. */
    public static final int CLOUDFRONT_BODY_INSPECTION_LIMIT = 16 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([A-Z0-9_]+)}}");
    private static final Set<String> POSITIONS = Set.of("EXACTLY", "STARTS_WITH", "ENDS_WITH", "CONTAINS", "CONTAINS_WORD");
    private static final Set<String> COMPARISONS = Set.of("EQ", "NE", "LE", "LT", "GE", "GT");
    private static final Set<Long> WINDOWS = Set.of(60L, 120L, 300L, 600L);

    private record Rule(String name, int priority, WafAction action, Statement statement) {
    }

    private final List<Rule> rules;
    private final WafAction defaultAction;

    private WafEvaluator(List<Rule> rules, WafAction defaultAction) {
        this.rules = rules;
        this.defaultAction = defaultAction;
    }

    /**
     * @param json the rule array, with {@code {{NAME}}} placeholders
     * @param values a value for every placeholder in the file (non-empty: WAF refuses empty search strings, and an
     *               empty secret would let an empty header through)
     */
    public static WafEvaluator load(String json, Map<String, String> values, WafAction defaultAction,
                                    int bodyInspectionLimit) {
        JsonNode root;
        try {
            root = JSON.readTree(substitute(json, values));
        } catch (IOException e) {
            throw new IllegalArgumentException("the rule file is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("a rule file is a JSON array of WAFv2 Rule objects");
        }
        List<Rule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<Integer> priorities = new HashSet<>();
        Parser parser = new Parser(bodyInspectionLimit);
        for (JsonNode r : root) {
            String name = text(r, "Name");
            int priority = r.path("Priority").asInt(-1);
            if (!names.add(name) || priority < 0 || !priorities.add(priority)) {
                throw new IllegalArgumentException("rule " + name + ": names and priorities must be unique and present");
            }
            Statement statement = parser.statement(r.path("Statement"), name, true);
            WafAction action;
            if (statement instanceof Statement.ManagedRuleGroup) {
                if (!r.has("OverrideAction") || r.has("Action")) {
                    throw new IllegalArgumentException("rule " + name + ": a rule group takes OverrideAction, not Action");
                }
                action = WafAction.COUNT;
            } else {
                action = action(r.path("Action"), name);
            }
            rules.add(new Rule(name, priority, action, statement));
        }
        rules.sort(Comparator.comparingInt(Rule::priority));
        return new WafEvaluator(List.copyOf(rules), defaultAction);
    }

    /** Loads one of this repository's ACL files from the classpath with default action Allow. */
    public static WafEvaluator fromClasspath(String resource, Map<String, String> values, int bodyInspectionLimit) {
        try (InputStream in = WafEvaluator.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no rule file " + resource + " on the classpath");
            }
            return load(new String(in.readAllBytes(), StandardCharsets.UTF_8), values, WafAction.ALLOW,
                    bodyInspectionLimit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WafDecision evaluate(WafRequest request) {
        List<String> counted = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Rule rule : rules) {
            if (rule.statement() instanceof Statement.ManagedRuleGroup g) {
                skipped.add(rule.name() + " (" + g.vendorName() + "/" + g.name() + ")");
                continue;
            }
            if (rule.statement().matches(request)) {
                if (rule.action() == WafAction.COUNT) {
                    counted.add(rule.name());
                } else {
                    return new WafDecision(rule.action(), rule.name(), counted, skipped);
                }
            }
        }
        return new WafDecision(defaultAction, null, counted, skipped);
    }

    public List<String> ruleNames() {
        return rules.stream().map(Rule::name).toList();
    }

    private static String substitute(String json, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(json);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException("placeholder {{" + m.group(1) + "}} has no (non-empty) value");
            }
            String escaped = JsonNodeFactory.instance.textNode(value).toString();
            m.appendReplacement(out, Matcher.quoteReplacement(escaped.substring(1, escaped.length() - 1)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static WafAction action(JsonNode action, String rule) {
        if (action.size() != 1) {
            throw new IllegalArgumentException("rule " + rule + ": Action needs exactly one of Allow, Block, Count");
        }
        String name = action.fieldNames().next();
        return switch (name) {
            case "Allow" -> WafAction.ALLOW;
            case "Block" -> WafAction.BLOCK;
            case "Count" -> WafAction.COUNT;
            default -> throw new IllegalArgumentException("rule " + rule + ": action " + name
                    + " cannot be carried out locally");
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException("missing or empty " + field + " in " + node);
        }
        return v.asText();
    }

    /** Reads statements; every type it does not know is an error, so nothing in a file is silently ignored. */
    private record Parser(int bodyInspectionLimit) {
        Statement statement(JsonNode node, String rule, boolean topLevel) {
            if (node == null || node.size() != 1) {
                throw new IllegalArgumentException("rule " + rule + ": a statement has exactly one type, got " + node);
            }
            String type = node.fieldNames().next();
            JsonNode s = node.get(type);
            return switch (type) {
                case "ByteMatchStatement" -> {
                    String position = text(s, "PositionalConstraint");
                    if (!POSITIONS.contains(position)) {
                        throw new IllegalArgumentException("rule " + rule + ": unknown PositionalConstraint " + position);
                    }
                    yield new Statement.ByteMatch(field(s, rule, false), position, text(s, "SearchString"),
                            transformations(s, rule));
                }
                case "RegexMatchStatement" -> {
                    try {
                        yield new Statement.RegexMatch(field(s, rule, false), Pattern.compile(text(s, "RegexString")),
                                transformations(s, rule));
                    } catch (PatternSyntaxException e) {
                        throw new IllegalArgumentException("rule " + rule + ": bad RegexString: " + e.getMessage());
                    }
                }
                case "SizeConstraintStatement" -> {
                    String op = text(s, "ComparisonOperator");
                    if (!COMPARISONS.contains(op) || !s.path("Size").canConvertToLong()) {
                        throw new IllegalArgumentException("rule " + rule + ": SizeConstraint needs a known"
                                + " ComparisonOperator and a Size");
                    }
                    yield new Statement.SizeConstraint(field(s, rule, true), op, s.path("Size").asLong(),
                            transformations(s, rule), bodyInspectionLimit);
                }
                case "AndStatement", "OrStatement" -> {
                    List<Statement> parts = new ArrayList<>();
                    for (JsonNode part : s.path("Statements")) {
                        parts.add(statement(part, rule, false));
                    }
                    if (parts.size() < 2) {
                        throw new IllegalArgumentException("rule " + rule + ": " + type + " needs two or more statements");
                    }
                    yield type.equals("AndStatement") ? new Statement.And(List.copyOf(parts))
                            : new Statement.Or(List.copyOf(parts));
                }
                case "NotStatement" -> new Statement.Not(statement(s.path("Statement"), rule, false));
                case "RateBasedStatement" -> {
                    if (!topLevel) {
                        throw new IllegalArgumentException("rule " + rule + ": a RateBasedStatement must be the rule's"
                                + " top-level statement");
                    }
                    yield rateBased(s, rule);
                }
                case "ManagedRuleGroupStatement" -> {
                    if (!topLevel) {
                        throw new IllegalArgumentException("rule " + rule + ": a managed rule group cannot be nested");
                    }
                    yield new Statement.ManagedRuleGroup(text(s, "VendorName"), text(s, "Name"));
                }
                default -> throw new IllegalArgumentException("rule " + rule + ": " + type
                        + " is not evaluated by the local edge");
            };
        }

        private Statement rateBased(JsonNode s, String rule) {
            long limit = s.path("Limit").asLong(-1);
            long window = s.path("EvaluationWindowSec").asLong(300);
            String key = s.path("AggregateKeyType").asText("IP");
            if (limit < 10 || !WINDOWS.contains(window)) {
                throw new IllegalArgumentException("rule " + rule + ": Limit must be >= 10 and EvaluationWindowSec one of "
                        + WINDOWS);
            }
            String header = null;
            boolean fallbackMatches = false;
            if (key.equals("FORWARDED_IP")) {
                JsonNode cfg = s.path("ForwardedIPConfig");
                header = text(cfg, "HeaderName");
                String fallback = text(cfg, "FallbackBehavior");
                if (!fallback.equals("MATCH") && !fallback.equals("NO_MATCH")) {
                    throw new IllegalArgumentException("rule " + rule + ": FallbackBehavior is MATCH or NO_MATCH");
                }
                fallbackMatches = fallback.equals("MATCH");
            } else if (!key.equals("IP")) {
                throw new IllegalArgumentException("rule " + rule + ": AggregateKeyType " + key
                        + " is not evaluated by the local edge");
            }
            Statement scopeDown = s.has("ScopeDownStatement") ? statement(s.get("ScopeDownStatement"), rule, false) : null;
            return new Statement.RateBased(limit, window, key, header, fallbackMatches, scopeDown);
        }

        private FieldToMatch field(JsonNode s, String rule, boolean sizeOnly) {
            JsonNode f = s.path("FieldToMatch");
            if (f.size() != 1) {
                throw new IllegalArgumentException("rule " + rule + ": FieldToMatch needs exactly one part");
            }
            String type = f.fieldNames().next();
            JsonNode v = f.get(type);
            return switch (type) {
                case "SingleHeader" -> new FieldToMatch.SingleHeader(text(v, "Name").toLowerCase(Locale.ROOT));
                case "UriPath" -> new FieldToMatch.UriPath();
                case "QueryString" -> new FieldToMatch.QueryString();
                case "Method" -> new FieldToMatch.Method();
                case "SingleQueryArgument" -> new FieldToMatch.SingleQueryArgument(text(v, "Name"));
                case "Body" -> {
                    if (!sizeOnly) {
                        throw new IllegalArgumentException("rule " + rule + ": body content is not inspected locally;"
                                + " only SizeConstraintStatement may look at Body");
                    }
                    String oversize = v.path("OversizeHandling").asText("CONTINUE");
                    if (!Set.of("CONTINUE", "MATCH", "NO_MATCH").contains(oversize)) {
                        throw new IllegalArgumentException("rule " + rule + ": unknown OversizeHandling " + oversize);
                    }
                    yield new FieldToMatch.Body(oversize);
                }
                default -> throw new IllegalArgumentException("rule " + rule + ": FieldToMatch " + type
                        + " is not evaluated by the local edge");
            };
        }

        private List<TextTransformation> transformations(JsonNode s, String rule) {
            JsonNode list = s.path("TextTransformations");
            if (!list.isArray() || list.isEmpty()) {
                throw new IllegalArgumentException("rule " + rule + ": TextTransformations needs at least one entry");
            }
            List<JsonNode> sorted = new ArrayList<>();
            list.forEach(sorted::add);
            sorted.sort(Comparator.comparingInt(t -> t.path("Priority").asInt()));
            List<TextTransformation> out = new ArrayList<>();
            for (JsonNode t : sorted) {
                String type = t.path("Type").asText();
                try {
                    out.add(TextTransformation.valueOf(type));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("rule " + rule + ": text transformation " + type
                            + " is not applied by the local edge");
                }
            }
            return List.copyOf(out);
        }
    }

    /** Statement type names present in a rule file, for checks that every one of them is understood. */
    public static Set<String> statementTypes(String json) throws IOException {
        Set<String> types = new HashSet<>();
        collect(JSON.readTree(json), types);
        return types;
    }

    private static void collect(JsonNode node, Set<String> types) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                // "Statement" and "ScopeDownStatement" hold a statement; they are not a type themselves
                if (e.getKey().endsWith("Statement") && !e.getKey().equals("Statement")
                        && !e.getKey().equals("ScopeDownStatement")) {
                    types.add(e.getKey());
                }
                collect(e.getValue(), types);
            }
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, types));
        }
    }
}
