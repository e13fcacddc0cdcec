package io.imagescaler.handler.notification;

/** Sends a plain-text email (SES v2 on AWS; SMTP to the local edge's embedded mail server locally). */
public interface Mailer {

    /**
     * @throws Rejected when the mail service refuses this message for good (SES MessageRejected, a suppressed
     *                  or unverified address; an SMTP 5xx reply): sending it again would not help
     */
    void send(String to, String subject, String text);

    /** A permanent refusal of one message, with the service's reason; any other failure may pass on a retry. */
    final class Rejected extends RuntimeException {
        public Rejected(String reason, Throwable cause) {
            super(reason, cause);
        }
    }
}
