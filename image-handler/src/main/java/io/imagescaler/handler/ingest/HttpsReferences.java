package io.imagescaler.handler.ingest;

import io.imagescaler.handler.error.ImageScalerException.InvalidRequest;
import io.imagescaler.handler.error.ImageScalerException.NotFound;
import io.imagescaler.handler.error.ImageScalerException.PayloadTooLarge;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link WebReferences} with the JDK's HTTP client: one GET, no redirects (a redirect could lead to a host
 * nobody checked), bounded in time (connect, then the whole exchange: the client's request timeout covers
 * only the headers, so the body is read against the same deadline and the stream closed when it passes) and
 * in bytes (the declared length is checked first, the body is read at most one byte past the limit). Whatever goes wrong is the reference's fault
 * here, not the service's: the referenced server is not a dependency, and retrying the whole Kafka batch
 * for it would stall the partition, so every failure is a 4xx kind (the message goes to the failure topic).
 */
public final class HttpsReferences implements WebReferences {
    private final HttpClient http;
    private final Duration requestTimeout;

    public HttpsReferences(Duration connectTimeout, Duration requestTimeout) {
        this(HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build(),
                requestTimeout);
    }

    /** @param http a client that follows no redirects (tests: one that trusts a local certificate) */
    public HttpsReferences(HttpClient http, Duration requestTimeout) {
        this.http = http;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public byte[] fetch(URI url, long maxBytes) {
        long deadline = System.nanoTime() + requestTimeout.toNanos();
        HttpResponse<InputStream> response;
        try {
            response = http.send(HttpRequest.newBuilder(url).timeout(requestTimeout).GET()
                    .header("Accept", "image/*").build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new InvalidRequest("the reference's url " + url + " did not answer within " + requestTimeout.toSeconds()
                    + " s");
        } catch (IOException e) {
            throw new InvalidRequest("the reference's url " + url + " could not be fetched: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidRequest("the reference's url " + url + " was not fetched: interrupted");
        }
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status == 404 || status == 410) {
                throw new NotFound("the reference's url " + url + " answered " + status);
            }
            if (status != 200) {
                throw new InvalidRequest("the reference's url " + url + " answered " + status
                        + (status / 100 == 3 ? " (redirects are not followed)" : "") + "; expected 200");
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxBytes) {
                throw tooLarge(url, declared, maxBytes);
            }
            byte[] bytes = readBefore(body, (int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1), deadline);
            if (bytes == null) {
                throw new InvalidRequest("the reference's url " + url + " did not send its body within "
                        + requestTimeout.toSeconds() + " s");
            }
            if (bytes.length > maxBytes) {
                throw tooLarge(url, -1, maxBytes);
            }
            return bytes;
        } catch (HttpTimeoutException e) {
            throw new InvalidRequest("the reference's url " + url + " did not send its body within "
                    + requestTimeout.toSeconds() + " s");
        } catch (IOException e) {
            throw new InvalidRequest("the reference's url " + url + " broke off: " + e.getMessage());
        }
    }

    /** Up to {@code max} bytes, or null when the deadline passed first (the stream is closed then). */
    private static byte[] readBefore(InputStream body, int max, long deadline) throws IOException {
        CompletableFuture<byte[]> read = new CompletableFuture<>();
        Thread.ofVirtual().name("reference-body").start(() -> {
            try {
                read.complete(body.readNBytes(max));
            } catch (IOException | RuntimeException e) {
                read.completeExceptionally(e);
            }
        });
        try {
            return read.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            body.close();
            return null;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            body.close();
            throw new IOException("interrupted");
        }
    }

    private static PayloadTooLarge tooLarge(URI url, long declared, long maxBytes) {
        return new PayloadTooLarge("the image at " + url + " is " + (declared >= 0 ? declared + " bytes" : "larger")
                + "; references take at most " + maxBytes + " bytes");
    }
}
