package io.imagescaler.handler.api;

import io.imagescaler.handler.error.ImageScalerException;
import io.imagescaler.handler.images.ImageService;
import io.imagescaler.handler.stats.Counter;
import io.imagescaler.handler.stats.DailyUsage;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The admin endpoints, kept apart from {@link Router} so the public routes read on their own. */
final class AdminRoutes {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();
    private static final Pattern MODERATION = Pattern.compile("^/v1/images/([^/]+)/moderation$");

    private final ImageService images;
    private final AdminGate gate;

    AdminRoutes(ImageService images, AdminGate gate) {
        this.images = images;
        this.gate = gate;
    }

    /** The answer when the path is an admin endpoint; empty otherwise. */
    Optional<HttpResponse> route(HttpRequest r) {
        Matcher moderation = MODERATION.matcher(r.path());
        if (moderation.matches()) {
            requireMethod(r, "POST");
            gate.requireAdmin(r);
            ImageService.Remoderation done = images.remoderate(moderation.group(1));
            var body = RecordJson.node(done.record());
            body.put("purgedVariants", done.purgedVariants());
            body.put("invalidation", done.invalidation());
            return Optional.of(HttpResponse.json(200, body.toString()).with("Cache-Control", "no-store"));
        }
        if (r.path().equals("/v1/stats")) {
            requireMethod(r, "GET");
            gate.requireAdmin(r);
            List<DailyUsage> days = images.usage(Optional.ofNullable(r.query().get("from")),
                    Optional.ofNullable(r.query().get("to")));
            String format = r.query().getOrDefault("format", "json");
            HttpResponse answer = switch (format) {
                case "json" -> HttpResponse.json(200, statsJson(days));
                case "csv" -> HttpResponse.of(200, "text/csv; charset=utf-8",
                        statsCsv(days).getBytes(StandardCharsets.UTF_8));
                default -> throw new ImageScalerException.InvalidRequest("format must be json or csv, got '"
                        + (format.length() > 20 ? format.substring(0, 20) + "…" : format) + "'");
            };
            return Optional.of(answer.with("Cache-Control", "no-store"));
        }
        return Optional.empty();
    }

    private static String statsJson(List<DailyUsage> days) {
        var root = JSON.createObjectNode();
        root.put("from", days.getFirst().day().toString());
        root.put("to", days.getLast().day().toString());
        var list = root.putArray("days");
        Map<Counter, Long> totals = new EnumMap<>(Counter.class);
        for (DailyUsage d : days) {
            var day = list.addObject().put("date", d.day().toString());
            for (Counter c : Counter.values()) {
                day.put(c.field(), d.get(c));
                totals.merge(c, d.get(c), Long::sum);
            }
        }
        var sum = root.putObject("totals");
        totals.forEach((c, v) -> sum.put(c.field(), v));
        return root.toString();
    }

    private static String statsCsv(List<DailyUsage> days) {
        StringBuilder csv = new StringBuilder("date");
        for (Counter c : Counter.values()) csv.append(',').append(c.csvName());
        csv.append("\r\n");
        for (DailyUsage d : days) {
            csv.append(d.day());
            for (Counter c : Counter.values()) csv.append(',').append(d.get(c));
            csv.append("\r\n");
        }
        return csv.toString();
    }

    private static void requireMethod(HttpRequest r, String method) {
        if (!r.method().equals(method)) {
            throw new ImageScalerException.MethodNotAllowed(r.method() + " is not allowed on " + r.path()
                    + "; use " + method, method.equals("GET") ? "GET, HEAD" : method);
        }
    }
}
