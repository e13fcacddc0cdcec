package io.imagescaler.handler.notification;

/** Sends a plain-text email (SES v2 on AWS; SMTP to the local edge's embedded mail server locally). */
public interface Mailer {

    void send(String to, String subject, String text);
}
