package io.imagescaler.handler.api;

import io.imagescaler.handler.auth.Guard;
import io.imagescaler.handler.error.ImageScalerException;
import io.imagescaler.handler.error.ImageScalerException.UpstreamFailure;
import io.imagescaler.handler.images.ImageRecord;
import io.imagescaler.handler.images.ImageService;
import io.imagescaler.handler.jobs.Job;
import io.imagescaler.handler.jobs.JobJson;
import io.imagescaler.handler.jobs.JobService;
import io.imagescaler.handler.jobs.ResultLinks;
import io.imagescaler.spec.PathSpelling;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code POST /v1/images/{id}/jobs} and {@code GET /v1/jobs/{jobId}} (owner or admin). */
final class JobRoutes {
    private static final Pattern SUBMIT = Pattern.compile("^/v1/images/([^/]+)/jobs$");
    private static final Pattern JOB = Pattern.compile("^/v1/jobs/([^/]+)$");

    private final Optional<JobService> jobs;
    private final ResultLinks links;
    private final ImageService images;
    private final Guard guard;

    /** @param jobs empty where no queue is configured: both routes answer 503 */
    JobRoutes(Optional<JobService> jobs, ResultLinks links, ImageService images, Guard guard) {
        this.jobs = jobs;
        this.links = links;
        this.images = images;
        this.guard = guard;
    }

    Optional<HttpResponse> route(HttpRequest r) {
        String path = PathSpelling.plain(r.path());
        Matcher submit = SUBMIT.matcher(path);
        if (submit.matches()) {
            require(r, "POST");
            ImageRecord image = images.metadata(submit.group(1));
            guard.requireOwner(r, image.owner());
            JobService.Submitted submitted = service().submit(image, guard.uploader(r), r.body(),
                    r.header("Idempotency-Key"));
            HttpResponse accepted = HttpResponse.json(202, JobJson.of(submitted.job(), links).toString())
                    .with("Location", "/v1/jobs/" + submitted.job().id()).with("Cache-Control", "no-store");
            return Optional.of(submitted.replayed() ? accepted.with("Idempotent-Replayed", "true") : accepted);
        }
        Matcher job = JOB.matcher(path);
        if (job.matches()) {
            require(r, "GET");
            Job found = service().get(job.group(1));
            guard.requireOwner(r, found.owner());
            return Optional.of(HttpResponse.json(200, JobJson.of(found, links).toString())
                    .with("Cache-Control", "private, no-store"));
        }
        return Optional.empty();
    }

    private JobService service() {
        return jobs.orElseThrow(() -> new UpstreamFailure("jobs are not configured in this deployment "
                + "(no JOBS_QUEUE_URL)", null));
    }

    private static void require(HttpRequest r, String method) {
        if (!r.method().equals(method)) {
            throw new ImageScalerException.MethodNotAllowed(r.method() + " is not allowed on " + r.path()
                    + "; use " + method, method.equals("GET") ? "GET, HEAD" : method);
        }
    }
}
