package io.imagescaler.samples.mobile;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.imagescaler.signer.UrlSigner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fetches one variant the way a phone app should: a signed URL (canned policy, one hour), the cached ETag as
 * {@code If-None-Match}, retries with exponential backoff and jitter on 5xx answers and connection failures
 * (Failsafe), and the 302 of a variant too big for one response followed by hand so the user sees it.
 */
public final class VariantFetcher {
    /** Where the bytes the app shows came from. */
    public enum Source {
        RENDERED("the handler (rendered now)"),
        GENERATED_BUCKET("the generated bucket"),
        DEVICE_CACHE("the device cache (304 Not Modified)"),
        ELSEWHERE("a presigned storage URL"),
        NONE("nowhere");

        private final String words;

        Source(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /** What one fetch did; {@code hops} lists the redirects followed, {@code attempts} counts every HTTP request. */
    public record Fetched(String path, int status, Source source, String contentType, byte[] bytes, String xCache,
                          int attempts, List<String> hops, long millis, String problem) {
        public boolean ok() {
            return status == 200 || status == 304;
        }
    }

    /** Retry settings: how many tries in all, the first pause, and the longest pause. */
    public record Backoff(int maxAttempts, Duration first, Duration max) {
        public static final Backoff DEFAULT = new Backoff(4, Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    private static final int MAX_REDIRECTS = 3;

    private final HttpClient http;
    private final URI edge;
    private final Optional<UrlSigner> signer;
    private final EtagCache cache;
    private final Backoff backoff;
    private final String accept;

    /**
     * @param edge   the CDN's (or local edge's) origin, e.g. {@code http://127.0.0.1:8080}
     * @param signer signs every URL; empty where the distribution does not require signed URLs
     * @param accept sent as {@code Accept}, which decides {@code .auto}
     */
    public VariantFetcher(URI edge, Optional<UrlSigner> signer, EtagCache cache, Backoff backoff, String accept) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.edge = edge;
        this.signer = signer;
        this.cache = cache;
        this.backoff = backoff;
        this.accept = accept;
    }

    public Fetched fetch(String path) throws IOException {
        long started = System.nanoTime();
        Optional<EtagCache.Entry> cached = cache.get(path);
        URI url = URI.create(sign(edge.toString() + path));
        AtomicInteger attempts = new AtomicInteger();
        List<String> hops = new ArrayList<>();
        for (int hop = 0; ; hop++) {
            boolean ownOrigin = url.getAuthority().equals(edge.getAuthority());
            HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET();
            if (ownOrigin) {
                request.header("Accept", accept);
                cached.ifPresent(c -> request.header("If-None-Match", c.etag()));
            }
            HttpResponse<byte[]> r = send(request.build(), attempts);
            String xCache = r.headers().firstValue("X-Cache").orElse("");
            long millis = (System.nanoTime() - started) / 1_000_000;
            int status = r.statusCode();
            if (status == 304 && cached.isPresent()) {
                return new Fetched(path, 304, Source.DEVICE_CACHE, cached.get().contentType(), cached.get().bytes(),
                        xCache, attempts.get(), hops, millis, null);
            }
            if (status == 302 || status == 301 || status == 307) {
                if (hop >= MAX_REDIRECTS) {
                    throw new IOException("more than " + MAX_REDIRECTS + " redirects for " + path);
                }
                String location = r.headers().firstValue("Location")
                        .orElseThrow(() -> new IOException(status + " without a Location for " + path));
                url = url.resolve(location);
                hops.add(status + " -> " + (url.getAuthority().equals(edge.getAuthority())
                        ? "same URL again (stored, too big for one response)" : url.getScheme() + "://"
                        + url.getAuthority() + url.getPath() + " (presigned)"));
                continue;
            }
            String type = r.headers().firstValue("Content-Type").orElse("");
            if (status == 200) {
                Source source = !ownOrigin ? Source.ELSEWHERE
                        : xCache.startsWith("Hit") ? Source.GENERATED_BUCKET : Source.RENDERED;
                Optional<String> etag = r.headers().firstValue("ETag");
                if (etag.isPresent()) {
                    cache.put(path, new EtagCache.Entry(etag.get(), type, r.body()));
                }
                return new Fetched(path, 200, source, type, r.body(), xCache, attempts.get(), hops, millis, null);
            }
            return new Fetched(path, status, Source.NONE, type, r.body(), xCache, attempts.get(), hops, millis,
                    new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private HttpResponse<byte[]> send(HttpRequest request, AtomicInteger attempts) throws IOException {
        RetryPolicy<HttpResponse<byte[]>> retry = RetryPolicy.<HttpResponse<byte[]>>builder()
                .handle(IOException.class)
                .handleResultIf(r -> r.statusCode() >= 500)
                .withBackoff(backoff.first(), backoff.max())
                .withJitter(0.2)
                .withMaxAttempts(backoff.maxAttempts())
                .build();
        try {
            return Failsafe.with(retry).get(() -> {
                attempts.incrementAndGet();
                return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            });
        } catch (FailsafeException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw new IOException("gave up after " + attempts.get() + " attempts: " + io, io);
            }
            throw e;
        }
    }

    private String sign(String url) {
        return signer.map(s -> s.signCanned(url, Instant.now().plus(Duration.ofHours(1)))).orElse(url);
    }
}
