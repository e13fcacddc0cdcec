package io.imagescaler.handler.api;

import io.imagescaler.handler.auth.Guard;
import io.imagescaler.handler.error.ImageScalerException;
import io.imagescaler.handler.images.ImageRecord;
import io.imagescaler.handler.images.ImageService;
import io.imagescaler.handler.images.Served;
import io.imagescaler.handler.tracing.RequestTelemetry;
import io.imagescaler.spec.PathSpelling;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Maps the HTTP API of DESIGN.md §3 onto {@link ImageService}; the only class that knows paths. */
public final class Router {
    private static final Pattern IMAGE = Pattern.compile("^/v1/images/([^/]+)$");
    private static final Pattern IMAGE_PART = Pattern.compile("^/v1/images/([^/]+)/([^/]+)$");
    private final ImageService images;
    private final Guard guard;
    private final AdminRoutes admin;
    private final java.util.Optional<UploadRoutes> uploads;
    private final StatsRoutes stats;
    private final JobRoutes jobs;

    public Router(ImageService images, Guard guard) {
        this(images, guard, null);
    }

    public Router(ImageService images, Guard guard, io.imagescaler.handler.uploads.LargeUploads uploads) {
        this(images, guard, uploads, null);
    }

    /**
     * @param uploads the large-upload use cases; null = {@code /v1/uploads} is not served
     * @param reports the usage reports; null = {@code /v1/stats} answers 503 (no query engine)
     */
    public Router(ImageService images, Guard guard, io.imagescaler.handler.uploads.LargeUploads uploads,
                  io.imagescaler.handler.analytics.UsageReports reports) {
        this(images, guard, uploads, reports, java.util.Optional.empty(), io.imagescaler.handler.jobs.ResultLinks.NONE);
    }

    /**
     * @param jobs  the job use cases; empty = the job routes answer 503 (no queue configured)
     * @param links signs the links to a job's results in its JSON
     */
    public Router(ImageService images, Guard guard, io.imagescaler.handler.uploads.LargeUploads uploads,
                  io.imagescaler.handler.analytics.UsageReports reports,
                  java.util.Optional<io.imagescaler.handler.jobs.JobService> jobs,
                  io.imagescaler.handler.jobs.ResultLinks links) {
        this.jobs = new JobRoutes(jobs, links, images, guard);
        this.images = images;
        this.guard = guard;
        this.admin = new AdminRoutes(images, guard::requireAdmin);
        this.uploads = java.util.Optional.ofNullable(uploads).map(u -> new UploadRoutes(u, images, guard));
        this.stats = new StatsRoutes(java.util.Optional.ofNullable(reports), guard);
    }

    public HttpResponse handle(HttpRequest request) {
        if (request.method().equals("HEAD")) {
            // HEAD wherever GET is served: the GET's status and headers, no body
            HttpResponse asGet = handle(request.withMethod("GET"));
            return new HttpResponse(asGet.status(), withLength(asGet), null);
        }
        try {
            guard.checkOrigin(request);
            return route(request);
        } catch (ImageScalerException e) {
            return Problems.of(e, request.path());
        } catch (RuntimeException e) {
            return Problems.unexpected(e, request.path());
        }
    }

    private HttpResponse route(HttpRequest r) {
        // The operation names the metrics' Operation dimension and the request's log line.
        RequestTelemetry telemetry = RequestTelemetry.current();
        var adminAnswer = admin.route(r);
        if (adminAnswer.isPresent()) {
            telemetry.operation("admin");
            return adminAnswer.get();
        }
        var statsAnswer = stats.route(r);
        if (statsAnswer.isPresent()) {
            telemetry.operation("stats");
            return statsAnswer.get();
        }
        var uploadAnswer = uploads.flatMap(u -> u.route(r));
        if (uploadAnswer.isPresent()) {
            telemetry.operation("large-upload");
            return uploadAnswer.get();
        }
        var jobAnswer = jobs.route(r);
        if (jobAnswer.isPresent()) {
            telemetry.operation("job");
            return jobAnswer.get();
        }
        // %2C and ',' (and every escape of a character that needs none) name the same image and variant
        String path = PathSpelling.plain(r.path());
        if (path.equals("/v1/images")) {
            telemetry.operation("upload");
            requireMethod(r, "POST");
            ImageService.Upload upload = images.upload(r.body(), guard.uploader(r), r.header("Idempotency-Key"));
            ImageRecord created = upload.record();
            HttpResponse answer = HttpResponse.json(201, RecordJson.of(created))
                    .with("Location", "/v1/images/" + created.id().value() + "/metadata");
            return upload.replayed() ? answer.with("Idempotent-Replayed", "true") : answer;
        }
        Matcher whole = IMAGE.matcher(path);
        if (whole.matches()) {
            telemetry.operation("delete");
            requireMethod(r, "DELETE");
            guard.requireOwner(r, images.metadata(whole.group(1)).owner());
            images.delete(whole.group(1));
            return new HttpResponse(204, java.util.Map.of("Cache-Control", "no-store"), null);
        }
        Matcher part = IMAGE_PART.matcher(path);
        if (part.matches()) {
            requireMethod(r, "GET");
            String id = part.group(1);
            telemetry.operation(switch (part.group(2)) {
                case "metadata", "original" -> part.group(2);
                default -> "variant";
            });
            return switch (part.group(2)) {
                case "metadata" -> {
                    ImageRecord record = images.metadata(id);
                    guard.requireOwner(r, record.owner());
                    yield HttpResponse.json(200, RecordJson.of(record)).with("Cache-Control", "private, no-cache");
                }
                case "original" -> served(images.original(id), r);
                default -> served(images.variant(id, part.group(2)), r);
            };
        }
        throw new ImageScalerException.NotFound("no such resource: " + path);
    }

    private static HttpResponse served(Served served, HttpRequest r) {
        return switch (served) {
            case Served.Bytes b -> {
                HttpResponse ok = HttpResponse.of(200, b.contentType(), b.bytes())
                        .with("ETag", b.etag())
                        .with("Cache-Control", b.cacheControl())
                        .with("X-Cache", b.cacheHit() ? "Hit from generated bucket" : "Miss, rendered")
                        .with("Server-Timing", b.timings().serverTiming());
                for (var h : b.headers().entrySet()) {
                    ok = ok.with(h.getKey(), h.getValue());
                }
                String ifNoneMatch = r.header("If-None-Match").orElse(null);
                yield b.etag().equals(ifNoneMatch)
                        ? new HttpResponse(304, without(ok.headers(), "Content-Type"), null) : ok;
            }
            case Served.AskAgain again -> new HttpResponse(302, java.util.Map.of(
                    "Location", r.path() + (r.rawQuery().isEmpty() ? "" : "?" + r.rawQuery()),
                    "Cache-Control", "no-store",
                    "Server-Timing", again.timings().serverTiming()), null);
            case Served.Elsewhere there -> new HttpResponse(302, java.util.Map.of(
                    "Location", there.location().toString(), "Cache-Control", "no-store"), null);
        };
    }

    private static java.util.Map<String, String> without(java.util.Map<String, String> headers, String name) {
        var copy = new java.util.LinkedHashMap<>(headers);
        copy.remove(name);
        return copy;
    }

    private static void requireMethod(HttpRequest r, String method) {
        if (!r.method().equals(method)) {
            throw new ImageScalerException.MethodNotAllowed(r.method() + " is not allowed on " + r.path()
                    + "; use " + method, method.equals("GET") ? "GET, HEAD" : method);
        }
    }

    private static java.util.Map<String, String> withLength(HttpResponse r) {
        var h = new java.util.LinkedHashMap<>(r.headers());
        h.put("Content-Length", Integer.toString(r.body().length));
        return h;
    }
}
