package io.imagescaler.handler.notification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imagescaler.handler.error.ImageScalerException.InvalidRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhooksTest {
    private final Webhooks onAws = new Webhooks(
            new Webhooks.Settings(Optional.of("s3cret"), false, 3, Duration.ofMillis(10)), Clock.systemUTC());

    @Test
    void privateLoopbackAndLinkLocalHostsAreRefusedUnlessAllowed() {
        for (String url : new String[] {"http://127.0.0.1/x", "http://10.1.2.3/x", "http://169.254.169.254/latest",
                "http://[::1]/x", "http://192.168.0.1/", "ftp://example.org/x", "/relative", "http:///nohost"}) {
            assertThrows(InvalidRequest.class, () -> onAws.validate(url), url);
        }
        Webhooks local = new Webhooks(new Webhooks.Settings(Optional.of("s"), true, 1, Duration.ZERO), Clock.systemUTC());
        assertEquals(URI.create("http://127.0.0.1:9/hook"), local.validate("http://127.0.0.1:9/hook"));
    }

    @Test
    void withoutASecretWebhooksAreNotOffered() {
        Webhooks none = new Webhooks(new Webhooks.Settings(Optional.empty(), true, 1, Duration.ZERO), Clock.systemUTC());
        assertThrows(InvalidRequest.class, () -> none.validate("http://127.0.0.1/hook"));
    }

    @Test
    void theSignatureIsHmacSha256OverTimestampDotBody() {
        // Reference value: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac s3cret
        assertEquals("1698a50bc74d1ff1db85c4e0a5297c2ad9fdba245d5737cdb789e4cc6e098940",
                onAws.sign(1_700_000_000L, "{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anUnreachableWebhookGivesUpAfterTheConfiguredAttempts() {
        Webhooks local = new Webhooks(new Webhooks.Settings(Optional.of("s"), true, 3, Duration.ofMillis(5)),
                Clock.systemUTC());
        // Port 9 (discard) on loopback: nothing listens there in the test environment.
        assertEquals(0, local.deliver(URI.create("http://127.0.0.1:9/hook"), "image.processed", "{}"));
    }
}
