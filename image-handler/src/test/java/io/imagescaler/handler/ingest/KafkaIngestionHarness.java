package io.imagescaler.handler.ingest;

import io.imagescaler.handler.events.DomainEvent;
import java.util.List;

/** {@link IngestFixture} for tests in other packages (the Lambda handler's). */
public final class KafkaIngestionHarness {
    private final IngestFixture f = new IngestFixture(false);

    public KafkaIngestion ingestion() {
        return f.ingestion;
    }

    public int images() {
        return f.records.items.size();
    }

    public List<String> refusedPositions() {
        return f.failures.produced.stream().map(p -> p.refused().position()).toList();
    }

    public int uploadedEvents() {
        return f.events.ofType(DomainEvent.IMAGE_UPLOADED).size();
    }

    public void moderationDown(boolean down) {
        f.model.down = down;
    }
}
