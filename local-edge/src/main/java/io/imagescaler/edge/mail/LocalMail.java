package io.imagescaler.edge.mail;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.imap.ImapHostManager;
import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.smtp.SmtpManager;
import com.icegreen.greenmail.smtp.SmtpState;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.imagescaler.handler.notification.Mailer;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The local stand-in for SES: GreenMail's SMTP server on 127.0.0.1, and a {@link Mailer} that really
 * sends to it over SMTP (Jakarta Mail), so a test or an operator can read what the service sent.
 *
 * <p>GreenMail accepts every recipient; SES does not (suppressed or non-existent addresses bounce). So that
 * a failed delivery can be exercised locally, the server refuses, at {@code RCPT TO} time with a real
 * {@code 550} reply, every recipient in the reserved domain {@value #UNDELIVERABLE_DOMAIN} (RFC 2606's
 * {@code .invalid}): {@link #send} to such an address throws with the server's reply in the message.
 */
public final class LocalMail implements Mailer, AutoCloseable {
    /** Recipients in this domain (and its subdomains) are refused by the local mail server. */
    public static final String UNDELIVERABLE_DOMAIN = "bounce.invalid";

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
        GreenMail server = new RefusingGreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
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
        } catch (jakarta.mail.SendFailedException e) {
            // the server refused a recipient (a 5xx at RCPT): permanent, as SES's MessageRejected is
            if (e.getInvalidAddresses() != null && e.getInvalidAddresses().length > 0) {
                throw new Mailer.Rejected("the mail server refused the recipient: " + replies(e), e);
            }
            throw new IllegalStateException("SMTP to the local mail server failed: " + replies(e), e);
        } catch (MessagingException e) {
            throw new IllegalStateException("SMTP to the local mail server failed: " + replies(e), e);
        }
    }

    /** Jakarta Mail puts the server's per-recipient replies in the chain under "Invalid Addresses". */
    private static String replies(MessagingException e) {
        List<String> parts = new ArrayList<>();
        for (Exception x = e; x != null && parts.size() < 10;
             x = x instanceof MessagingException m ? m.getNextException() : null) {
            if (x.getMessage() != null) {
                parts.add(x.getMessage().strip());
            }
        }
        return String.join(": ", parts);
    }

    /** GreenMail whose SMTP service refuses recipients in {@link #UNDELIVERABLE_DOMAIN}. */
    private static final class RefusingGreenMail extends GreenMail {
        RefusingGreenMail(ServerSetup setup) {
            super(setup);
        }

        @Override
        protected Map<String, AbstractServer> createServices(ServerSetup[] config, Managers managers) {
            return super.createServices(config, new RefusingManagers(managers));
        }
    }

    /** The same stores and users as GreenMail's own managers, with a refusing SMTP manager. */
    private static final class RefusingManagers extends Managers {
        private final Managers delegate;
        private final SmtpManager smtp;

        RefusingManagers(Managers delegate) {
            this.delegate = delegate;
            this.smtp = new RefusingSmtpManager(delegate.getImapHostManager(), delegate.getUserManager());
        }

        @Override
        public SmtpManager getSmtpManager() {
            return smtp;
        }

        @Override
        public UserManager getUserManager() {
            return delegate.getUserManager();
        }

        @Override
        public ImapHostManager getImapHostManager() {
            return delegate.getImapHostManager();
        }
    }

    private static final class RefusingSmtpManager extends SmtpManager {
        RefusingSmtpManager(ImapHostManager imap, UserManager users) {
            super(imap, users);
        }

        @Override
        public String checkRecipient(SmtpState state, MailAddress address) {
            String host = address.getHost() == null ? "" : address.getHost().toLowerCase(Locale.ROOT);
            if (host.equals(UNDELIVERABLE_DOMAIN) || host.endsWith("." + UNDELIVERABLE_DOMAIN)) {
                return "550 5.1.1 <" + address.getEmail() + ">: recipient address rejected: "
                        + UNDELIVERABLE_DOMAIN + " is undeliverable on the local mail server";
            }
            return super.checkRecipient(state, address);
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
