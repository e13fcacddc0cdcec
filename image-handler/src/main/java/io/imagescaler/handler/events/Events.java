package io.imagescaler.handler.events;

import java.util.ArrayList;
import java.util.List;

/**
 * Publishes outcomes on the event bus (EventBridge on AWS; moto's EventBridge locally). Called after the
 * outcome is final (its record written), never before: an event never announces something that was undone.
 * Publishing is best effort: the adapter retries, then logs the whole event at ERROR and counts it
 * ({@code EventsNotPublished}); it never fails or undoes the outcome it announces.
 */
public interface Events {

    void publish(DomainEvent event);

    /** No bus configured: events are dropped (logged at DEBUG by the caller's adapter choice). */
    Events NONE = event -> { };

    /** For unit tests: keeps what was published, in order. */
    final class Recorded implements Events {
        private final List<DomainEvent> published = new ArrayList<>();

        @Override
        public synchronized void publish(DomainEvent event) {
            published.add(event);
        }

        public synchronized List<DomainEvent> published() {
            return List.copyOf(published);
        }

        public synchronized List<DomainEvent> ofType(String detailType) {
            return published.stream().filter(e -> e.detailType().equals(detailType)).toList();
        }
    }
}
