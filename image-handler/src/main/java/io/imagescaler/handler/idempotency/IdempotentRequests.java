package io.imagescaler.handler.idempotency;

import io.imagescaler.handler.error.ImageScalerException.Conflict;
import io.imagescaler.handler.error.ImageScalerException.IdempotencyKeyReused;
import io.imagescaler.handler.error.ImageScalerException.InvalidRequest;
import io.imagescaler.handler.storage.IdempotencyKeys;
import io.imagescaler.spec.ImageId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code Idempotency-Key} for requests that create an image: the first request with a key runs; a retry
 * with the same body gets the first request's result (rebuilt from the image it created); the same key
 * with another body is refused (422). Keys are scoped (per endpoint and owner) and remembered for
 * 24 hours. A first request that fails releases its key, so a corrected retry may use it; one that
 * died without a word (a crash, a timeout) leaves a claim that goes stale after {@code stale}, and then a
 * retry runs in its place.
 */
public final class IdempotentRequests {
    private static final Logger LOG = LoggerFactory.getLogger(IdempotentRequests.class);
    /** How long a key is remembered. */
    public static final Duration LIFETIME = Duration.ofHours(24);

    private final IdempotencyKeys keys;
    private final Clock clock;
    private final Duration stale;

    /**
     * @param stale how long a first request may run before its claim counts as dead (a crash) and a
     *              retry may run instead; longer than any request can run
     */
    public IdempotentRequests(IdempotencyKeys keys, Clock clock, Duration stale) {
        this.keys = keys;
        this.clock = clock;
        this.stale = stale;
    }

    /** A result, and whether it is the remembered result of an earlier request. */
    public record Result<T>(T value, boolean replayed) {
    }

    /**
     * @param scope  what the key is scoped to, e.g. {@code images#<owner>}
     * @param first  runs the request (only when the key is new)
     * @param idOf   the image the first run created
     * @param replay rebuilds the answer for a retry from that image
     */
    public <T> Result<T> call(String scope, Optional<String> key, byte[] request, Supplier<T> first,
                              Function<T, ImageId> idOf, Function<ImageId, T> replay) {
        return call(scope, key, request, bind -> first.get(), idOf, id -> Optional.of(replay.apply(id)));
    }

    /**
     * As {@link #call(String, Optional, byte[], Supplier, Function, Function)}, for a first request that
     * makes its image in steps: it binds the key to the image's id ({@code bind}) before the image can
     * become visible, so a crash after that point is never answered by making a second image. A retry
     * then replays the image when it is finished ({@code replayIfFinished} non-empty), and otherwise, once
     * the first claim is stale (its request died), runs again in its place.
     */
    public <T> Result<T> call(String scope, Optional<String> key, byte[] request,
                              Function<Consumer<ImageId>, T> first, Function<T, ImageId> idOf,
                              Function<ImageId, Optional<T>> replayIfFinished) {
        if (key.isEmpty()) {
            return new Result<>(first.apply(id -> { }), false);
        }
        String k = key.get();
        if (k.isEmpty() || k.length() > 255 || !k.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new InvalidRequest("Idempotency-Key must be 1 to 255 visible ASCII characters");
        }
        String scoped = scope + "#" + k;
        String requestHash = sha256(request == null ? new byte[0] : request);
        java.time.Instant now = clock.instant();
        if (!keys.claim(scoped, requestHash, now.plus(LIFETIME), now.plus(stale))) {
            IdempotencyKeys.Entry earlier = keys.get(scoped).orElseThrow(() -> new Conflict(
                    "a request with this Idempotency-Key is being processed; retry shortly"));
            if (!earlier.requestHash().equals(requestHash)) {
                throw new IdempotencyKeyReused("this Idempotency-Key was used within the last 24 hours for a "
                        + "different body; use a new key for a new request");
            }
            ImageId id = earlier.imageId().orElseThrow(() -> new Conflict(
                    "the first request with this Idempotency-Key is still being processed; retry in "
                            + stale.toSeconds() + " s at most"));
            Optional<T> finished = replayIfFinished.apply(id);
            if (finished.isPresent()) {
                return new Result<>(finished.get(), true);
            }
            if (!keys.reclaim(scoped, requestHash, now.plus(LIFETIME), now.plus(stale), id)) {
                throw new Conflict("the first request with this Idempotency-Key is still being processed; retry in "
                        + stale.toSeconds() + " s at most");
            }
            LOG.info("Idempotency-Key {}: the first request died before image {} was finished; running it again",
                    k, id);
        }
        T result;
        boolean[] bound = {false};
        try {
            result = first.apply(id -> {
                keys.complete(scoped, id);
                bound[0] = true;
            });
        } catch (RuntimeException e) {
            try {
                keys.release(scoped);
            } catch (RuntimeException releaseFailure) {
                e.addSuppressed(releaseFailure);
            }
            throw e;
        }
        try {
            if (!bound[0]) {
                keys.complete(scoped, idOf.apply(result));
            }
        } catch (RuntimeException e) {
            // The result exists; releasing the key would let a retry create it at once. Retries see 409
            // until the claim goes stale; then a retry creates a second image (the window is this one
            // failed write, after the SDK's own retries).
            LOG.error("Idempotency-Key {} not completed: {}", k, e.toString());
        }
        return new Result<>(result, false);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
