package io.imagescaler.edge.firewall;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imagescaler.waf.WafAction;
import io.imagescaler.waf.WafDecision;
import io.imagescaler.waf.WafEvaluator;
import io.imagescaler.waf.WafRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two AWS WAF web ACLs of the deployment, evaluated locally from the same rule files {@code cdk/} deploys:
 * the CloudFront ACL on every viewer request, the regional (API Gateway) ACL on every request the edge forwards
 * to the handler. One evaluator per ACL for the life of the edge, so rate-based counters accumulate.
 */
public final class WebAcls {
    private static final Logger LOG = LoggerFactory.getLogger(WebAcls.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WafEvaluator cloudFront;
    private final WafEvaluator regional;

    public WebAcls(WafEvaluator cloudFront, WafEvaluator regional) {
        this.cloudFront = cloudFront;
        this.regional = regional;
    }

    /**
     * @param originSecret   the X-Origin-Verify value the edge adds (the regional ACL's current secret)
     * @param previousSecret the previous one during a rotation; the current again when there is none, so an
     *                       empty header can never pass
     */
    public static WebAcls load(String originSecret, Optional<String> previousSecret, Optional<Path> cloudFrontFile,
                               Optional<Path> regionalFile) throws IOException {
        Map<String, String> secrets = Map.of("ORIGIN_VERIFY_CURRENT", originSecret,
                "ORIGIN_VERIFY_PREVIOUS", previousSecret.filter(s -> !s.isBlank()).orElse(originSecret));
        return new WebAcls(
                evaluator("CloudFront", WafEvaluator.CLOUDFRONT_ACL, cloudFrontFile, Map.of(),
                        WafEvaluator.CLOUDFRONT_BODY_INSPECTION_LIMIT),
                evaluator("regional", WafEvaluator.REGIONAL_ACL, regionalFile, secrets,
                        WafEvaluator.REGIONAL_BODY_INSPECTION_LIMIT));
    }

    private static WafEvaluator evaluator(String acl, String resource, Optional<Path> file, Map<String, String> values,
                                          int limit) throws IOException {
        String json;
        if (file.isPresent()) {
            json = Files.readString(file.get());
        } else {
            try (InputStream in = WafEvaluator.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("no rule file " + resource + " on the classpath");
                }
                json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        WafEvaluator evaluator = WafEvaluator.load(json, values, WafAction.ALLOW, limit);
        LOG.info("WAF {} ACL from {}: rules {}; not evaluated locally (they run on AWS only): {}", acl,
                file.map(Path::toString).orElse(resource), evaluator.ruleNames(),
                managedRuleGroups(json).isEmpty() ? "none" : managedRuleGroups(json));
        return evaluator;
    }

    /** Rules that are AWS managed rule groups: their rules are AWS's and are not reproduced locally. */
    private static List<String> managedRuleGroups(String json) throws IOException {
        List<String> names = new ArrayList<>();
        for (JsonNode rule : JSON.readTree(json)) {
            JsonNode group = rule.path("Statement").path("ManagedRuleGroupStatement");
            if (!group.isMissingNode()) {
                names.add(rule.path("Name").asText() + " (" + group.path("VendorName").asText() + "/"
                        + group.path("Name").asText() + ")");
            }
        }
        return names;
    }

    /** The CloudFront ACL's decision on a request as the viewer sent it. */
    public WafDecision viewer(WafRequest request) {
        return decide("CloudFront", cloudFront, request);
    }

    /** The regional ACL's decision on a request as the edge forwards it (origin header and X-Forwarded-For added). */
    public WafDecision origin(WafRequest request) {
        return decide("regional", regional, request);
    }

    private final java.util.concurrent.atomic.AtomicLong blocked = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong unlogged = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong lastLogNanos = new java.util.concurrent.atomic.AtomicLong(
            System.nanoTime() - LOG_EVERY_NANOS);
    /** At most one log line per second for blocks (a flood must not become a flood of log). */
    private static final long LOG_EVERY_NANOS = 1_000_000_000L;

    /** Requests either ACL blocked since start (WAF's BlockedRequests metric). */
    public long blocked() {
        return blocked.get();
    }

    private WafDecision decide(String acl, WafEvaluator evaluator, WafRequest request) {
        WafDecision d = evaluator.evaluate(request);
        if (d.blocked()) {
            blocked.incrementAndGet();
            long since = unlogged.incrementAndGet();
            long last = lastLogNanos.get();
            long now = System.nanoTime();
            // Sampled as WAF's own sampled requests are: one line a second names one block and how many
            // were not logged since the previous line.
            if (now - last >= LOG_EVERY_NANOS && lastLogNanos.compareAndSet(last, now)) {
                unlogged.addAndGet(-since);
                LOG.info("WAF {} ACL blocked {} {} from {}: {} ({} blocks since the last line, {} in all)", acl,
                        request.method(), request.uriPath(), request.clientIp(), d.describe(), since, blocked.get());
            }
        } else if (!d.countedRules().isEmpty()) {
            LOG.debug("WAF {} ACL counted {} {} from {}: {}", acl, request.method(), request.uriPath(),
                    request.clientIp(), d.countedRules());
        }
        return d;
    }
}
