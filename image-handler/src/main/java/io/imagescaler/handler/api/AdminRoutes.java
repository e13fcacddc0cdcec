package io.imagescaler.handler.api;

import io.imagescaler.handler.error.ImageScalerException;
import io.imagescaler.handler.images.ImageService;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin endpoints (usage statistics: {@link StatsRoutes}), kept apart from {@link Router} so the
 * public routes read on their own.
 */
final class AdminRoutes {
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
        return Optional.empty();
    }

    private static void requireMethod(HttpRequest r, String method) {
        if (!r.method().equals(method)) {
            throw new ImageScalerException.MethodNotAllowed(r.method() + " is not allowed on " + r.path()
                    + "; use " + method, method.equals("GET") ? "GET, HEAD" : method);
        }
    }
}
