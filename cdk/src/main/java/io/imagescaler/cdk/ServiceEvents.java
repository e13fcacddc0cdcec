package io.imagescaler.cdk;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.events.Archive;
import software.amazon.awscdk.services.events.BaseArchiveProps;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.EventBusProps;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.Construct;

/**
 * The custom EventBridge bus the service announces its outcomes on ({@code source: image-scaler}; detail types
 * {@link #DETAIL_TYPES}), so other teams subscribe with a rule of their own instead of polling the API. An archive
 * keeps {@link #ARCHIVE_DAYS} days of them for replay. Functions that publish get {@code EVENT_BUS_NAME} and
 * {@code events:PutEvents} on this bus only ({@link #publishFrom}).
 */
public final class ServiceEvents extends Construct {
    public static final String BUS_NAME = "image-scaler-events";
    public static final String SOURCE = "image-scaler";
    public static final List<String> DETAIL_TYPES = List.of(
            "image_uploaded", "image_moderated", "image_deleted", "job_processed", "job_delivered");
    /** Long enough to replay a week-end's events into a subscriber that was down. */
    public static final int ARCHIVE_DAYS = 14;

    private final EventBus bus;
    private final Archive archive;

    public ServiceEvents(Construct scope, String id) {
        super(scope, id);
        bus = new EventBus(this, "Bus", EventBusProps.builder()
                .eventBusName(BUS_NAME)
                .description("image-scaler outcomes (source image-scaler): uploads, moderation, deletes, jobs")
                .build());
        archive = bus.archive("Archive", BaseArchiveProps.builder()
                .description("image-scaler events, for replay into a subscriber that missed them")
                .eventPattern(EventPattern.builder().source(List.of(SOURCE)).build())
                .retention(Duration.days(ARCHIVE_DAYS))
                .build());
    }

    /** {@code function} may publish on this bus, and learns its name from {@code EVENT_BUS_NAME}. */
    public void publishFrom(Function function) {
        function.addEnvironment("EVENT_BUS_NAME", bus.getEventBusName());
        function.addToRolePolicy(Allow.statement(List.of("events:PutEvents"), List.of(bus.getEventBusArn())));
    }

    public EventBus bus() {
        return bus;
    }

    public Archive archive() {
        return archive;
    }
}
