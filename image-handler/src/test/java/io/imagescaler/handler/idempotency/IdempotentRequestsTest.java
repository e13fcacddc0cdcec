package io.imagescaler.handler.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imagescaler.handler.error.ImageScalerException.Conflict;
import io.imagescaler.handler.intake.MemoryStores.MemoryKeys;
import io.imagescaler.spec.ImageId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Idempotency-Key over an in-memory store with a clock the test moves: crashes and stale claims. */
class IdempotentRequestsTest {
    private static final Duration STALE = Duration.ofSeconds(30);

    /** A clock the test moves; the keys are MemoryStores' (DynamoIdempotencyKeys' conditions in memory). */
    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        public ZoneOffset getZone() { return ZoneOffset.UTC; }
        public Clock withZone(java.time.ZoneId zone) { return this; }
        public Instant instant() { return now; }
    }

    final MutableClock clock = new MutableClock();
    final MemoryKeys keys = new MemoryKeys(clock);
    final IdempotentRequests requests = new IdempotentRequests(keys, clock, STALE);
    final byte[] body = {1, 2, 3};
    final Map<ImageId, Boolean> finished = new HashMap<>();
    int made;

    /** The upload as ImageService runs it: reserve and bind the id, then (unless it dies) finish. */
    private ImageId upload(java.util.function.Consumer<ImageId> bind, boolean dies) {
        ImageId id = ImageId.random();
        made++;
        bind.accept(id);
        finished.put(id, false);
        if (dies) {
            throw new Error("kill -9");   // not a RuntimeException: nothing is released, as in a crash
        }
        finished.put(id, true);
        return id;
    }

    private IdempotentRequests.Result<ImageId> call(boolean dies) {
        return requests.call("images#alice", Optional.of("k1"), body,
                bind -> upload(bind, dies), id -> id,
                id -> finished.getOrDefault(id, false) ? Optional.of(id) : Optional.empty());
    }

    @Test
    void aRetryAfterACrashWaitsForTheClaimToGoStaleThenMakesTheImageOnce() {
        assertThrows(Error.class, () -> call(true));
        assertEquals(1, made);
        clock.now = clock.now.plusSeconds(5);
        var early = assertThrows(Conflict.class, () -> call(false));
        assertTrue(early.getMessage().contains("retry in 30 s"), early.getMessage());
        clock.now = clock.now.plus(STALE);
        var retried = call(false);
        assertFalse(retried.replayed());
        assertEquals(2, made, "the dead attempt's image never finished: made once more");
        var again = call(false);
        assertTrue(again.replayed());
        assertEquals(retried.value(), again.value());
        assertEquals(2, made);
    }

    @Test
    void aCrashAfterTheImageFinishedIsReplayedNeverMadeTwice() {
        // the first request finished its image but died before it could answer (bind happened first)
        ImageId[] first = new ImageId[1];
        assertThrows(Error.class, () -> requests.call("images#alice", Optional.of("k1"), body, bind -> {
            first[0] = upload(bind, false);
            throw new Error("kill -9 after the record became READY");
        }, id -> id, id -> finished.getOrDefault(id, false) ? Optional.of(id) : Optional.empty()));
        clock.now = clock.now.plus(STALE).plusSeconds(1);
        var retry = call(false);
        assertTrue(retry.replayed());
        assertEquals(first[0], retry.value());
        assertEquals(1, made);
    }

    @Test
    void aFailedFirstRequestReleasesItsKeyAtOnce() {
        assertThrows(IllegalStateException.class, () -> requests.call("images#alice", Optional.of("k1"), body,
                bind -> { throw new IllegalStateException("S3 down"); }, id -> (ImageId) id, id -> Optional.empty()));
        assertFalse(call(false).replayed());
    }
}
