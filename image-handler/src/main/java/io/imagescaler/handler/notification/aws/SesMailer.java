package io.imagescaler.handler.notification.aws;

import io.imagescaler.handler.notification.Mailer;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/** {@link Mailer} on SES v2 SendEmail (simple content, from a verified address). */
public final class SesMailer implements Mailer {
    private final SesV2Client ses;
    private final String from;

    public SesMailer(SesV2Client ses, String from) {
        this.ses = ses;
        this.from = from;
    }

    @Override
    public void send(String to, String subject, String text) {
        ses.sendEmail(b -> b.fromEmailAddress(from)
                .destination(d -> d.toAddresses(to))
                .content(c -> c.simple(m -> m
                        .subject(s -> s.data(subject).charset("UTF-8"))
                        .body(body -> body.text(t -> t.data(text).charset("UTF-8"))))));
    }
}
