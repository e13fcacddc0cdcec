package io.imagescaler.handler.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagescaler.handler.analytics.Metric;
import io.imagescaler.handler.analytics.UsageReport;
import io.imagescaler.handler.analytics.UsageReports;
import io.imagescaler.handler.analytics.UsageRow;
import io.imagescaler.handler.auth.Guard;
import io.imagescaler.handler.error.ImageScalerException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code GET /v1/stats}: usage reports from the analytics lake, as JSON or CSV. Admins see every owner
 * (or one, with {@code owner=<subject>}); anyone signed in sees their own with {@code owner=me}.
 * A page holds at most 1,000 rows; {@code next} (JSON) and {@code Link: rel="next"} (both) name the
 * following page.
 */
final class StatsRoutes {
    static final String PATH = "/v1/stats";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> PARAMETERS = Set.of("from", "to", "groupBy", "owner", "format", "page",
            "pageSize");

    private final Optional<UsageReports> reports;
    private final Guard guard;

    StatsRoutes(Optional<UsageReports> reports, Guard guard) {
        this.reports = reports;
        this.guard = guard;
    }

    Optional<HttpResponse> route(HttpRequest r) {
        if (!r.path().equals(PATH)) {
            return Optional.empty();
        }
        if (!r.method().equals("GET")) {
            throw new ImageScalerException.MethodNotAllowed(r.method() + " is not allowed on " + PATH + "; use GET");
        }
        Map<String, String> q = r.query();
        Optional<String> owner = whose(r, Optional.ofNullable(q.get("owner")));
        for (String name : q.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw new ImageScalerException.InvalidRequest("unknown parameter '" + abbreviate(name)
                        + "'; " + PATH + " takes " + String.join(", ", new java.util.TreeSet<>(PARAMETERS)));
            }
        }
        String format = q.getOrDefault("format", "json");
        if (!format.equals("json") && !format.equals("csv")) {
            throw new ImageScalerException.InvalidRequest("format must be json or csv, got '" + abbreviate(format) + "'");
        }
        UsageReports engine = reports.orElseThrow(() -> new ImageScalerException.UpstreamFailure(
                "no analytics query engine is configured for this deployment", null));
        UsageReport report = engine.report(new UsageReports.Question(opt(q, "from"), opt(q, "to"),
                opt(q, "groupBy"), opt(q, "page"), opt(q, "pageSize")), owner);
        Optional<String> next = report.hasNext() ? Optional.of(nextPage(q, report.page() + 1)) : Optional.empty();
        HttpResponse answer = format.equals("csv")
                ? HttpResponse.of(200, "text/csv; charset=utf-8", csv(report).getBytes(StandardCharsets.UTF_8))
                : HttpResponse.json(200, json(report, next));
        if (next.isPresent()) answer = answer.with("Link", "<" + next.get() + ">; rel=\"next\"");
        return Optional.of(answer.with("Cache-Control", "private, no-store"));
    }

    /** Whose events the caller may see: their own with owner=me, anyone's (or all) for an admin. */
    private Optional<String> whose(HttpRequest r, Optional<String> owner) {
        if (owner.isPresent() && owner.get().equals("me")) {
            return Optional.of(guard.uploader(r));
        }
        guard.requireAdmin(r);
        return owner;
    }

    private static String json(UsageReport report, Optional<String> next) {
        ObjectNode root = JSON.createObjectNode();
        root.put("from", report.from().toString());
        root.put("to", report.to().toString());
        root.put("groupBy", report.groupBy().key());
        if (report.owner().isPresent()) root.put("owner", report.owner().get());
        else root.putNull("owner");
        var rows = root.putArray("rows");
        for (UsageRow row : report.rows()) {
            ObjectNode o = rows.addObject().put(report.groupBy().key(), row.key());
            for (Metric m : Metric.values()) o.put(m.field(), row.get(m));
        }
        ObjectNode totals = root.putObject("totals");
        for (Metric m : Metric.values()) totals.put(m.field(), report.totals().get(m));
        root.put("page", report.page());
        root.put("pageSize", report.pageSize());
        root.put("totalRows", report.totalRows());
        if (next.isPresent()) root.put("next", next.get());
        else root.putNull("next");
        return root.toString();
    }

    /** The rows of this page under the SQL column names (RFC 4180: CRLF, quoted where needed). */
    private static String csv(UsageReport report) {
        StringBuilder csv = new StringBuilder(report.groupBy().key());
        for (Metric m : Metric.values()) csv.append(',').append(m.column());
        csv.append("\r\n");
        for (UsageRow row : report.rows()) {
            csv.append(cell(row.key()));
            for (Metric m : Metric.values()) csv.append(',').append(row.get(m));
            csv.append("\r\n");
        }
        return csv.toString();
    }

    private static String cell(String value) {
        // A leading =, +, - or @ would be a formula in a spreadsheet: quoted and prefixed, as OWASP advises.
        String safe = value.isEmpty() || "=+-@".indexOf(value.charAt(0)) < 0 ? value : "'" + value;
        return safe.contains(",") || safe.contains("\"") || safe.contains("\n") || !safe.equals(value)
                ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
    }

    private static String nextPage(Map<String, String> q, int page) {
        Map<String, String> params = new TreeMap<>(q);
        params.put("page", Integer.toString(page));
        return PATH + "?" + params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static Optional<String> opt(Map<String, String> q, String name) {
        return Optional.ofNullable(q.get(name));
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
