package io.imagescaler.handler.notification;

import io.imagescaler.handler.error.ImageScalerException.InvalidRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells an uploader's server that processing ended: a JSON POST to the webhook URL given with the
 * upload, signed with HMAC-SHA256 over {@code <timestamp>.<body>} in {@value #SIGNATURE_HEADER}
 * ({@code t=<unix seconds>,v1=<hex>}; the timestamp lets receivers refuse replays), retried with
 * exponential backoff on a network error or a non-2xx answer. A webhook that never answers is logged,
 * never turned into a failed image.
 */
public final class Webhooks {
    public static final String SIGNATURE_HEADER = "X-ImageScaler-Signature";
    public static final String EVENT_HEADER = "X-ImageScaler-Event";
    private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);

    /**
     * @param secret       the HMAC key; empty = webhooks are not offered
     * @param allowPrivate whether URLs may name loopback/private/link-local hosts (only the local edge)
     * @param attempts     tries in all (first + retries)
     * @param firstBackoff wait before the first retry; doubled for each next one
     */
    public record Settings(Optional<String> secret, boolean allowPrivate, int attempts, Duration firstBackoff) {
        @Override
        public String toString() {
            return "Webhooks[secret=" + secret.map(s -> "***").orElse("none") + ", allowPrivate=" + allowPrivate
                    + ", attempts=" + attempts + ", firstBackoff=" + firstBackoff + "]";
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public Webhooks(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Checks a webhook URL given with an upload, before anything is stored. */
    public URI validate(String url) {
        if (settings.secret().isEmpty()) {
            throw new InvalidRequest("webhooks are not configured in this deployment (no WEBHOOK_SECRET)");
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest("webhook is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null || url.length() > 2048) {
            throw new InvalidRequest("webhook must be an absolute http(s) URL of at most 2048 characters");
        }
        if (!settings.allowPrivate() && privateHost(uri.getHost())) {
            throw new InvalidRequest("webhook host " + uri.getHost() + " is a private, loopback or link-local address");
        }
        return uri;
    }

    /** Delivers the event; returns the number of attempts made (0 when it never got a 2xx). */
    public int deliver(URI url, String event, String json) {
        Outcome outcome = send(url, event, json);
        return outcome.delivered() ? outcome.attempts() : 0;
    }

    /**
     * How a delivery ended: {@code failure} empty when a 2xx came back on attempt {@code attempts}; else the last
     * answer or error, after every attempt.
     */
    public record Outcome(int attempts, java.util.Optional<String> failure) {
        public boolean delivered() {
            return failure.isEmpty();
        }
    }

    /** Delivers the event with the retries of {@link Settings}, and says how it ended. */
    public Outcome send(URI url, String event, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        Duration backoff = settings.firstBackoff();
        String last = "not attempted";
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            long t = clock.instant().getEpochSecond();
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .header(EVENT_HEADER, event)
                        .header(SIGNATURE_HEADER, "t=" + t + ",v1=" + sign(t, body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 == 2) {
                    return new Outcome(attempt, Optional.empty());
                }
                last = "answered HTTP " + r.statusCode();
                LOG.warn("webhook {} answered {} (attempt {}/{})", url, r.statusCode(), attempt, settings.attempts());
            } catch (IOException e) {
                last = "failed: " + e;
                LOG.warn("webhook {} failed: {} (attempt {}/{})", url, e.toString(), attempt, settings.attempts());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(attempt, Optional.of("interrupted"));
            }
            if (attempt < settings.attempts()) {
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Outcome(attempt, Optional.of("interrupted"));
                }
                backoff = backoff.multipliedBy(2);
            }
        }
        LOG.error("webhook {} gave up after {} attempts", url, settings.attempts());
        return new Outcome(settings.attempts(), Optional.of("the webhook " + last + " after " + settings.attempts()
                + " attempts"));
    }

    /** hex(HMAC-SHA256(secret, "<t>." + body)), what receivers recompute. */
    public String sign(long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(settings.secret().orElseThrow().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether a host the service is asked to call (a webhook, a Kafka message's image URL) is loopback,
     * private, link-local, any-local, multicast or IPv6 unique-local. Literal addresses and names
     * resolved now. A name that resolves differently later (DNS rebinding) is not caught here; on AWS the
     * Lambda should also run without a route to private ranges.
     *
     * @throws InvalidRequest the name does not resolve
     */
    public static boolean privateHost(String host) {
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress()
                        || a.isAnyLocalAddress() || a.isMulticastAddress()
                        || (a.getAddress().length == 16 && (a.getAddress()[0] & 0xfe) == 0xfc)) {
                    return true;
                }
            }
            return false;
        } catch (UnknownHostException e) {
            throw new InvalidRequest("host " + host + " does not resolve");
        }
    }
}
