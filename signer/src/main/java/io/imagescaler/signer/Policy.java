package io.imagescaler.signer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;

/**
 * A CloudFront access policy: one statement with a resource, an end time, and optionally a start time and
 * an IPv4 range. Without start and range it can travel as a canned policy (only {@code Expires} on the
 * wire; the verifier rebuilds the JSON from the request URL); otherwise it travels base64-encoded as
 * {@code Policy}.
 *
 * @param resource the URL or wildcard pattern; {@code null} in a custom policy means any resource
 * @param dateGreaterThan may be {@code null}
 * @param ipAddress may be {@code null}
 */
public record Policy(String resource, Instant dateLessThan, Instant dateGreaterThan, IpRange ipAddress) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> CONDITIONS = Set.of("DateLessThan", "DateGreaterThan", "IpAddress");

    public Policy {
        Objects.requireNonNull(dateLessThan, "a policy always has DateLessThan");
    }

    public static Policy canned(String resourceUrl, Instant expires) {
        return new Policy(resourceUrl, expires, null, null);
    }

    public boolean fitsCanned() {
        return dateGreaterThan == null && ipAddress == null && resource != null && !new ResourcePattern(resource).isWildcard();
    }

    /**
     * The exact bytes CloudFront signs for a canned policy: no whitespace, this key order. The AWS SDKs
     * for Java and JavaScript emit the same string, so canned signatures of all three agree byte for byte.
     */
    public static String cannedJson(String resourceUrl, long expiresEpochSecond) {
        return "{\"Statement\":[{\"Resource\":\"" + resourceUrl
                + "\",\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":" + expiresEpochSecond + "}}}]}";
    }

    /** Compact JSON in the key order of the CloudFront documentation's examples. */
    public String customJson() {
        StringBuilder s = new StringBuilder("{\"Statement\":[{");
        if (resource != null) {
            s.append("\"Resource\":").append(quote(resource)).append(',');
        }
        s.append("\"Condition\":{\"DateLessThan\":{\"AWS:EpochTime\":").append(dateLessThan.getEpochSecond()).append('}');
        if (dateGreaterThan != null) {
            s.append(",\"DateGreaterThan\":{\"AWS:EpochTime\":").append(dateGreaterThan.getEpochSecond()).append('}');
        }
        if (ipAddress != null) {
            s.append(",\"IpAddress\":{\"AWS:SourceIp\":\"").append(ipAddress).append("\"}");
        }
        return s.append("}}]}").toString();
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a custom policy document; CloudFront accepts exactly one statement. */
    public static Policy parse(byte[] json) throws MalformedPolicyException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new MalformedPolicyException("the policy is not JSON");
        }
        if (root == null || !root.path("Statement").isArray() || root.path("Statement").size() != 1) {
            throw new MalformedPolicyException("the policy must hold exactly one Statement");
        }
        JsonNode statement = root.path("Statement").get(0);
        JsonNode resourceNode = statement.get("Resource");
        if (resourceNode != null && !resourceNode.isTextual()) {
            throw new MalformedPolicyException("Resource must be a string");
        }
        JsonNode condition = statement.path("Condition");
        for (Iterator<String> names = condition.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!CONDITIONS.contains(name)) {
                throw new MalformedPolicyException("unknown condition " + name);
            }
        }
        Instant lessThan = epoch(condition.path("DateLessThan"), "DateLessThan");
        if (lessThan == null) {
            throw new MalformedPolicyException("the policy has no DateLessThan");
        }
        Instant greaterThan = epoch(condition.path("DateGreaterThan"), "DateGreaterThan");
        IpRange range = null;
        JsonNode ip = condition.path("IpAddress").path("AWS:SourceIp");
        if (!ip.isMissingNode()) {
            try {
                range = IpRange.parse(ip.asText());
            } catch (IllegalArgumentException e) {
                throw new MalformedPolicyException("IpAddress: " + e.getMessage());
            }
        }
        return new Policy(resourceNode == null ? null : resourceNode.asText(), lessThan, greaterThan, range);
    }

    private static Instant epoch(JsonNode node, String name) throws MalformedPolicyException {
        if (node.isMissingNode()) {
            return null;
        }
        JsonNode t = node.path("AWS:EpochTime");
        if (t.isIntegralNumber()) {
            return Instant.ofEpochSecond(t.asLong());
        }
        if (t.isTextual() && t.asText().matches("\\d{1,12}")) {
            return Instant.ofEpochSecond(Long.parseLong(t.asText()));
        }
        throw new MalformedPolicyException(name + " needs an integer AWS:EpochTime");
    }

    /** A policy that cannot be read; CloudFront answers such requests with 403 MalformedPolicy. */
    public static final class MalformedPolicyException extends Exception {
        public MalformedPolicyException(String message) {
            super(message);
        }
    }
}
