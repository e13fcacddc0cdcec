package io.imagescaler.handler.analytics;

import io.imagescaler.handler.analytics.UsageEvent.Type;
import io.imagescaler.handler.images.ImageRecord;
import io.imagescaler.handler.moderation.ModerationVerdict;
import io.imagescaler.handler.transform.Rendered;
import java.time.Clock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the use cases tell analytics: one call per thing done (upload, verdict, variant render, SR call,
 * delete), after the work succeeded. Each call builds the event and queues it; nothing here can delay or
 * fail the request it describes (a bug building an event is logged and the event dropped).
 */
public final class Usage {
    private static final Logger LOG = LoggerFactory.getLogger(Usage.class);

    private final UsageEvents events;
    private final Clock clock;

    public Usage(UsageEvents events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /** No analytics (tests of other parts). */
    public static Usage none(Clock clock) {
        return new Usage(UsageEvents.none(), clock);
    }

    /** A sync upload stored: its upload event and its moderation verdict. */
    public void uploaded(ImageRecord done, String how) {
        uploaded(done.owner(), done.id().value(), done.contentType(), done.bytes(), done.width(), done.height(),
                done.moderation().orElse(null), how);
    }

    /** An original stored ({@code how}: sync or multipart), and the verdict it was stored under. */
    public void uploaded(String owner, String imageId, String contentType, long bytes, int width, int height,
                         ModerationVerdict verdict, String how) {
        emit(() -> event(Type.UPLOAD).image(owner, imageId, contentType).size(bytes, width, height)
                .verdict(verdict == null ? null : verdict.action().name(), null).source(how).build());
        if (verdict != null) moderated(owner, imageId, contentType, verdict, how);
    }

    /** An admin's re-moderation decided again. */
    public void remoderated(ImageRecord image, ModerationVerdict verdict) {
        moderated(image.owner(), image.id().value(), image.contentType(), verdict, "remoderation");
    }

    private void moderated(String owner, String imageId, String contentType, ModerationVerdict verdict, String how) {
        emit(() -> event(Type.MODERATION).image(owner, imageId, contentType)
                .verdict(verdict.action().name(), verdict.action() == ModerationVerdict.Action.ALLOW ? null
                        : verdict.reason())
                .source(how).build());
    }

    /** A variant rendered and stored (a miss: hits are the CDN's and the bucket's, not events). */
    public void rendered(ImageRecord image, String transform, Rendered out) {
        emit(() -> event(Type.RENDER).image(image.owner(), image.id().value(), image.contentType())
                .format(out.format().extension()).size(out.bytes().length, out.width(), out.height())
                .transform(transform).durationMs(Math.round(total(out))).build());
    }

    /** The super-resolution endpoint enlarged an original ({@code method}: e.g. sr-x4). */
    public void superResolved(ImageRecord image, String transform, Rendered out, String method) {
        emit(() -> event(Type.SR).image(image.owner(), image.id().value(), image.contentType())
                .format(out.format().extension()).size(out.bytes().length, out.width(), out.height())
                .transform(transform).durationMs(Math.round(out.timings().asMap().getOrDefault("sr", 0.0)))
                .source(method).build());
    }

    /** A job moved (submitted, processed, delivered or failed): one event per status it reaches. */
    public void job(String owner, String imageId, String jobId, String status, String reason, int transforms) {
        emit(() -> event(Type.JOB).image(owner, imageId, null).job(jobId, status).verdict(null, reason)
                .source("transforms=" + transforms).build());
    }

    /** An image deleted (original, variants and record). */
    public void deleted(ImageRecord image) {
        emit(() -> event(Type.DELETE).image(image.owner(), image.id().value(), image.contentType())
                .size(image.bytes(), image.width(), image.height()).build());
    }

    public UsageEvents events() {
        return events;
    }

    private UsageEvent.Builder event(Type type) {
        return UsageEvent.at(clock.instant(), type);
    }

    private static double total(Rendered out) {
        return out.timings().asMap().values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private void emit(Supplier<UsageEvent> event) {
        try {
            events.record(event.get());
        } catch (RuntimeException e) {
            LOG.error("usage event not recorded: {}", e.toString());
        }
    }
}
