package io.imagescaler.handler.notification.aws;

import io.imagescaler.handler.notification.Mailer;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.AccountSuspendedException;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.MailFromDomainNotVerifiedException;
import software.amazon.awssdk.services.sesv2.model.MessageRejectedException;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;
import software.amazon.awssdk.services.sesv2.model.SendingPausedException;
import software.amazon.awssdk.services.sesv2.model.SesV2Exception;

/**
 * {@link Mailer} on SES v2 SendEmail (simple content, from a verified address). SES's refusals of the message
 * itself (rejected content or recipient, unverified identity, sending paused or suspended, a bad request) are
 * {@link Mailer.Rejected}; throttling and 5xx stay SDK failures, which a retry may get past.
 */
public final class SesMailer implements Mailer {
    private final SesV2Client ses;
    private final String from;

    public SesMailer(SesV2Client ses, String from) {
        this.ses = ses;
        this.from = from;
    }

    @Override
    public void send(String to, String subject, String text) {
        try {
            ses.sendEmail(b -> b.fromEmailAddress(from)
                    .destination(d -> d.toAddresses(to))
                    .content(c -> c.simple(m -> m
                            .subject(s -> s.data(subject).charset("UTF-8"))
                            .body(body -> body.text(t -> t.data(text).charset("UTF-8"))))));
        } catch (MessageRejectedException | MailFromDomainNotVerifiedException | AccountSuspendedException
                 | SendingPausedException | BadRequestException | NotFoundException e) {
            throw new Rejected("SES refused the message: " + reason(e), e);
        }
    }

    private static String reason(SesV2Exception e) {
        return e.awsErrorDetails() == null ? e.getMessage()
                : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
    }
}
