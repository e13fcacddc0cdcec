package io.imagescaler.edge.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Message;
import org.junit.jupiter.api.Test;

/** The local SES stand-in delivers over real SMTP, and refuses the reserved undeliverable domain at RCPT. */
class LocalMailTest {

    @Test
    void anAddressInBounceInvalidIsRefusedWithA5xxReplyAndOthersAreReceived() throws Exception {
        try (LocalMail mail = LocalMail.start(0, "image-scaler@localhost")) {
            assertThatThrownBy(() -> mail.send("someone@bounce.invalid", "job done", "links"))
                    .isInstanceOf(io.imagescaler.handler.notification.Mailer.Rejected.class)
                    .hasMessageContaining("550 5.1.1 <someone@bounce.invalid>")
                    .hasMessageContaining("recipient address rejected");
            assertThatThrownBy(() -> mail.send("x@Mail.BOUNCE.invalid", "job done", "links"))
                    .hasMessageContaining("550");
            assertThat(mail.received()).isEmpty();

            mail.send("owner@example.com", "job done", "links");
            assertThat(mail.received()).hasSize(1);
            assertThat(mail.received().getFirst().getRecipients(Message.RecipientType.TO)[0].toString())
                    .isEqualTo("owner@example.com");
            assertThat(mail.received().getFirst().getSubject()).isEqualTo("job done");
        }
    }
}
