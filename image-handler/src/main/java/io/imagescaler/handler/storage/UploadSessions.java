package io.imagescaler.handler.storage;

import io.imagescaler.spec.ImageId;
import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/** The state of each large upload between {@code POST /v1/uploads} and its completion. */
public interface UploadSessions {

    enum State { OPEN, COMPLETING, COMPLETED }

    /** @param webhook, email where to tell that processing ended, if the uploader asked */
    record Session(ImageId id, String owner, String uploadId, long declaredBytes, long partSize, int parts,
                   State state, Instant expiresAt, Optional<URI> webhook, Optional<String> email) {
    }

    void create(Session session);

    /** The live session; expired ones are absent. */
    Optional<Session> get(ImageId id);

    /** Moves the session from {@code expected} to {@code next}; false if it was in another state. */
    boolean transition(ImageId id, State expected, State next);
}
