package io.imagescaler.handler.notification;

import io.imagescaler.handler.error.ImageScalerException.InvalidRequest;
import io.imagescaler.handler.images.ImageRecord;
import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells an uploader that processing of a large upload ended, by webhook and/or email, as asked when the
 * upload started. Neither failing ever changes the image; failures are logged.
 */
public final class UploadNotifications {
    private static final Logger LOG = LoggerFactory.getLogger(UploadNotifications.class);
    /** Deliberately loose (one @, a dot in the domain, no spaces): the mail server is the real judge. */
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

    private final Webhooks webhooks;
    private final Optional<Mailer> mailer;

    /** @param mailer empty where no mail service is configured (email notification is then refused) */
    public UploadNotifications(Webhooks webhooks, Optional<Mailer> mailer) {
        this.webhooks = webhooks;
        this.mailer = mailer;
    }

    public URI validateWebhook(String url) {
        return webhooks.validate(url);
    }

    public String validateEmail(String address) {
        if (mailer.isEmpty()) {
            throw new InvalidRequest("email notification is not configured in this deployment (no MAIL_FROM)");
        }
        if (address.length() > 254 || !EMAIL.matcher(address).matches()) {
            throw new InvalidRequest("email is not an email address");
        }
        return address;
    }

    /**
     * Tells an uploader that an upload was refused before anything was stored (a Kafka message whose
     * image was bad). Failing is logged, never thrown.
     *
     * @param upload names the upload for its sender, e.g. "from Kafka message image-uploads-0@42"
     */
    public void refused(String to, String upload, String reason) {
        try {
            mailer.orElseThrow().send(to, "image-scaler: your upload was refused",
                    "Your upload " + upload + " was refused; nothing was stored.\n\nReason: " + reason + "\n");
            LOG.info("refusal email for the upload {} sent to {}", upload, to);
        } catch (RuntimeException e) {
            LOG.error("refusal email for the upload {} to {} failed: {}", upload, to, e.toString());
        }
    }

    /** @param json the record JSON with its event name, as the webhook receives it */
    public void processed(ImageRecord record, String json, Optional<URI> webhook, Optional<String> email) {
        webhook.ifPresent(url -> {
            int attempts = webhooks.deliver(url, "image.processed", json);
            LOG.info("webhook for {}: {}", record.id(), attempts > 0 ? "delivered on attempt " + attempts
                    : "not delivered");
        });
        email.ifPresent(to -> {
            try {
                mailer.orElseThrow().send(to, "image-scaler: your upload is " + record.status(),
                        "Your upload " + record.id() + " finished processing.\n\n"
                                + "Status: " + record.status() + "\n"
                                + record.statusReason().map(r -> "Reason: " + r + "\n").orElse("")
                                + "Metadata: /v1/images/" + record.id() + "/metadata\n");
                LOG.info("email for {} sent to {}", record.id(), to);
            } catch (RuntimeException e) {
                LOG.error("email for {} to {} failed: {}", record.id(), to, e.toString());
            }
        });
    }
}
