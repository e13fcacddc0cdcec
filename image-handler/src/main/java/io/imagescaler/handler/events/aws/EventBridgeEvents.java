package io.imagescaler.handler.events.aws;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.imagescaler.handler.events.DomainEvent;
import io.imagescaler.handler.events.Events;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * {@link Events} on EventBridge: one {@code PutEvents} entry per event on the configured bus, with
 * {@code source: image-scaler}, the event's detail type, its resource, its time and its detail as JSON.
 *
 * <p>PutEvents answers 200 even when it refused the entry: a {@code FailedEntryCount} above zero is a
 * failure here. A failed entry (throttling, an internal error) is tried again, {@value #ATTEMPTS} times
 * in all with a short backoff (the SDK already retried the call itself); after that, or after a failed
 * call, the whole event is logged at ERROR, so it can be replayed by hand, and counted as
 * {@code EventsNotPublished} (one CloudWatch EMF line). The caller is never failed: the outcome the event
 * announces has happened and stays.
 */
public final class EventBridgeEvents implements Events {
    private static final Logger LOG = LoggerFactory.getLogger(EventBridgeEvents.class);
    static final int ATTEMPTS = 3;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final EventBridgeClient client;
    private final String busName;
    private final String metricsNamespace;
    private final Consumer<String> metricLines;
    private final Clock clock;

    /**
     * @param client           built by {@code AwsClients.eventBridge()} (bounded timeouts, explicit credentials)
     * @param busName          the bus ({@code EVENT_BUS_NAME})
     * @param metricsNamespace the CloudWatch namespace of the {@code EventsNotPublished} metric
     * @param metricLines      where its EMF line goes (stdout on Lambda; a no-op where metrics are off)
     */
    public EventBridgeEvents(EventBridgeClient client, String busName, String metricsNamespace,
                             Consumer<String> metricLines, Clock clock) {
        this.client = client;
        this.busName = busName;
        this.metricsNamespace = metricsNamespace;
        this.metricLines = metricLines;
        this.clock = clock;
    }

    @Override
    public void publish(DomainEvent event) {
        PutEventsRequestEntry entry = entry(event);
        String failure = "not tried";
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                PutEventsResponse response = client.putEvents(b -> b.entries(entry));
                Integer failed = response.failedEntryCount();
                if (failed == null || failed == 0) {
                    return;
                }
                PutEventsResultEntry result = response.entries().isEmpty() ? null : response.entries().getFirst();
                failure = "entry refused: " + (result == null ? "no result entry"
                        : result.errorCode() + " " + result.errorMessage());
            } catch (SdkException e) {
                // the SDK retried the call already; a second round would only double the wait
                failure = "PutEvents failed: " + e.getMessage();
                break;
            }
            if (attempt < ATTEMPTS && !pause(backoff)) {
                break;
            }
            backoff = backoff.multipliedBy(2);
        }
        notPublished(event, failure);
    }

    PutEventsRequestEntry entry(DomainEvent event) {
        return PutEventsRequestEntry.builder()
                .eventBusName(busName)
                .source(DomainEvent.SOURCE)
                .detailType(event.detailType())
                .resources(List.of(event.resource()))
                .time(event.time())
                .detail(event.detail().toString())
                .build();
    }

    private void notPublished(DomainEvent event, String failure) {
        LOG.error("event NOT published to bus {} ({}): {\"source\":\"{}\",\"detail-type\":\"{}\",\"resources\":[\"{}\"],"
                        + "\"time\":\"{}\",\"detail\":{}}", busName, failure, DomainEvent.SOURCE, event.detailType(),
                event.resource(), event.time(), event.detail());
        try {
            metricLines.accept(metricLine(event));
        } catch (RuntimeException e) {
            LOG.warn("EventsNotPublished not counted: {}", e.toString());
        }
    }

    /** One CloudWatch EMF line counting the lost event, by detail type. */
    String metricLine(DomainEvent event) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", metricsNamespace);
        directive.putArray("Dimensions").addArray().add("Service").add("DetailType");
        directive.putArray("Metrics").addObject().put("Name", "EventsNotPublished").put("Unit", "Count");
        root.put("Service", "image-handler");
        root.put("DetailType", event.detailType());
        root.put("EventsNotPublished", 1);
        root.put("resource", event.resource());
        return root.toString();
    }

    private static boolean pause(Duration d) {
        try {
            Thread.sleep(d);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return "EventBridge bus " + busName;
    }
}
