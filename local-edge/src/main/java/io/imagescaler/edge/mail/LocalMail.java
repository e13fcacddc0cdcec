package io.imagescaler.edge.mail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.imagescaler.handler.notification.Mailer;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Properties;

/**
 * The local stand-in for SES: GreenMail's SMTP server on 127.0.0.1, and a {@link Mailer} that really
 * sends to it over SMTP (Jakarta Mail), so a test or an operator can read what the service sent.
 */
public final class LocalMail implements Mailer, AutoCloseable {
    private final GreenMail server;
    private final Session session;
    private final String from;

    private LocalMail(GreenMail server, String from) {
        this.server = server;
        this.from = from;
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(server.getSmtp().getPort()));
        props.put("mail.smtp.connectiontimeout", "3000");
        props.put("mail.smtp.timeout", "5000");
        this.session = Session.getInstance(props);
    }

    public static LocalMail start(int port, String from) {
        GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        return new LocalMail(server, from);
    }

    public int smtpPort() {
        return server.getSmtp().getPort();
    }

    @Override
    public void send(String to, String subject, String text) {
        try {
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress(from));
            m.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to));
            m.setSubject(subject, "UTF-8");
            m.setText(text, "UTF-8");
            Transport.send(m);
        } catch (MessagingException e) {
            throw new IllegalStateException("SMTP to the local mail server failed: " + e.getMessage(), e);
        }
    }

    /** Every message the server received so far. */
    public List<MimeMessage> received() {
        return List.of(server.getReceivedMessages());
    }

    @Override
    public void close() {
        server.stop();
    }
}
