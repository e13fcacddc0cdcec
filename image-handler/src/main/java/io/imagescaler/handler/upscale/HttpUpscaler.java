package io.imagescaler.handler.upscale;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.SortedSet;

/** The sr-endpoint server over plain HTTP (its SageMaker container contract): {@code POST /invocations}. */
public final class HttpUpscaler implements Upscaler {
    private final HttpClient http;
    private final URI invocations;
    private final SortedSet<Integer> scales;
    private final Duration timeout;

    public HttpUpscaler(URI base, SortedSet<Integer> scales, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        this.invocations = base.resolve("/invocations");
        this.scales = scales;
        this.timeout = timeout;
    }

    @Override
    public SortedSet<Integer> scales() {
        return scales;
    }

    @Override
    public byte[] upscale(byte[] image, int scale) {
        HttpRequest request = HttpRequest.newBuilder(invocations).timeout(timeout)
                .header("Content-Type", "image/png").header("X-Scale", Integer.toString(scale))
                .POST(HttpRequest.BodyPublishers.ofByteArray(image)).build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new UpscaleFailed("the endpoint answered " + response.statusCode(), null);
            }
            return response.body();
        } catch (HttpTimeoutException e) {
            throw new UpscaleFailed("the endpoint did not answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new UpscaleFailed("the endpoint could not be reached: " + (e.getMessage() != null ? e.getMessage()
                    : e.getClass().getSimpleName()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpscaleFailed("interrupted", e);
        }
    }
}
