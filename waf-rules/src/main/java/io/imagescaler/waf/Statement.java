package io.imagescaler.waf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** A WAFv2 rule statement the local edge evaluates (or, for managed groups, knowingly skips). */
sealed interface Statement {
    boolean matches(WafRequest request);

    static String transform(String text, List<TextTransformation> transformations) {
        String t = text;
        for (TextTransformation x : transformations) {
            t = x.apply(t);
        }
        return t;
    }

    record ByteMatch(FieldToMatch field, String positionalConstraint, String searchString,
                     List<TextTransformation> transformations) implements Statement {
        public boolean matches(WafRequest r) {
            Optional<String> value = field.text(r).map(t -> transform(t, transformations));
            if (value.isEmpty()) {
                return false;
            }
            String v = value.get();
            return switch (positionalConstraint) {
                case "EXACTLY" -> v.equals(searchString);
                case "STARTS_WITH" -> v.startsWith(searchString);
                case "ENDS_WITH" -> v.endsWith(searchString);
                case "CONTAINS" -> v.contains(searchString);
                case "CONTAINS_WORD" -> Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(searchString)
                        + "(?![A-Za-z0-9_])").matcher(v).find();
                default -> throw new IllegalStateException(positionalConstraint);
            };
        }
    }

    record RegexMatch(FieldToMatch field, Pattern regex, List<TextTransformation> transformations) implements Statement {
        public boolean matches(WafRequest r) {
            return field.text(r).map(t -> regex.matcher(transform(t, transformations)).find()).orElse(false);
        }
    }

    record SizeConstraint(FieldToMatch field, String comparisonOperator, long size,
                          List<TextTransformation> transformations, int bodyInspectionLimit) implements Statement {
        public boolean matches(WafRequest r) {
            long actual;
            if (field instanceof FieldToMatch.Body body) {
                if (r.bodySize() > bodyInspectionLimit) {
                    switch (body.oversizeHandling()) {
                        case "MATCH": return true;
                        case "NO_MATCH": return false;
                        default: actual = bodyInspectionLimit; // CONTINUE: WAF sees the inspected part only
                    }
                } else {
                    actual = r.bodySize();
                }
            } else {
                Optional<String> value = field.text(r);
                if (value.isEmpty()) {
                    return false;
                }
                actual = transform(value.get(), transformations).getBytes(StandardCharsets.UTF_8).length;
            }
            return switch (comparisonOperator) {
                case "EQ" -> actual == size;
                case "NE" -> actual != size;
                case "LE" -> actual <= size;
                case "LT" -> actual < size;
                case "GE" -> actual >= size;
                case "GT" -> actual > size;
                default -> throw new IllegalStateException(comparisonOperator);
            };
        }
    }

    record And(List<Statement> statements) implements Statement {
        public boolean matches(WafRequest r) {
            return statements.stream().allMatch(s -> s.matches(r));
        }
    }

    record Or(List<Statement> statements) implements Statement {
        public boolean matches(WafRequest r) {
            return statements.stream().anyMatch(s -> s.matches(r));
        }
    }

    record Not(Statement statement) implements Statement {
        public boolean matches(WafRequest r) {
            return !statement.matches(r);
        }
    }

    /** Reported, never evaluated: the rules inside AWS managed groups are not published. */
    record ManagedRuleGroup(String vendorName, String name) implements Statement {
        public boolean matches(WafRequest r) {
            return false;
        }
    }

    /**
     * Counts requests per aggregation key over a sliding window ending at the request's time; matches once the
     * count (this request included) exceeds the limit. Only requests that reach the rule and pass the
     * scope-down statement are counted, as on WAF.
     */
    final class RateBased implements Statement {
        private static final int SWEEP_ABOVE_KEYS = 10_000;

        private final long limit;
        private final long windowMillis;
        private final String aggregateKeyType;
        private final String forwardedHeader;
        private final boolean fallbackMatches;
        private final Statement scopeDown;
        private final Map<String, Deque<Long>> hits = new ConcurrentHashMap<>();

        RateBased(long limit, long windowSeconds, String aggregateKeyType, String forwardedHeader,
                  boolean fallbackMatches, Statement scopeDown) {
            this.limit = limit;
            this.windowMillis = windowSeconds * 1000;
            this.aggregateKeyType = aggregateKeyType;
            this.forwardedHeader = forwardedHeader;
            this.fallbackMatches = fallbackMatches;
            this.scopeDown = scopeDown;
        }

        long limit() {
            return limit;
        }

        public boolean matches(WafRequest r) {
            if (scopeDown != null && !scopeDown.matches(r)) {
                return false;
            }
            Optional<String> key = key(r);
            if (key.isEmpty()) {
                return fallbackMatches;
            }
            long now = r.time().toEpochMilli();
            if (hits.size() > SWEEP_ABOVE_KEYS) {
                sweep(now);
            }
            Deque<Long> times = hits.computeIfAbsent(key.get(), k -> new ArrayDeque<>());
            synchronized (times) {
                prune(times, now);
                times.addLast(now);
                return times.size() > limit;
            }
        }

        private Optional<String> key(WafRequest r) {
            if (aggregateKeyType.equals("IP")) {
                return Optional.ofNullable(r.clientIp()).filter(ip -> !ip.isBlank());
            }
            // FORWARDED_IP: WAF takes the first address of the header and falls back when it is not an address
            return r.header(forwardedHeader).map(v -> v.split(",")[0].strip()).filter(Statement::looksLikeIp);
        }

        private void prune(Deque<Long> times, long now) {
            while (!times.isEmpty() && times.peekFirst() <= now - windowMillis) {
                times.removeFirst();
            }
        }

        private void sweep(long now) {
            hits.entrySet().removeIf(e -> {
                synchronized (e.getValue()) {
                    prune(e.getValue(), now);
                    return e.getValue().isEmpty();
                }
            });
        }
    }

    private static boolean looksLikeIp(String s) {
        return s.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (s.contains(":") && s.matches("[0-9A-Fa-f:.]+"));
    }
}
