package io.imagescaler.handler.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One outcome other teams may subscribe to, as published on the event bus ({@code source: image-scaler}).
 * The detail's shape is fixed per type and documented in the README (section "Events").
 *
 * @param detailType one of the {@code *_} constants below
 * @param resource   the image or job the event is about (EventBridge's {@code resources})
 * @param time       when the outcome happened (the service's clock)
 * @param detail     the event's body
 */
public record DomainEvent(String detailType, String resource, Instant time, ObjectNode detail) {
    public static final String SOURCE = "image-scaler";
    public static final String IMAGE_UPLOADED = "image_uploaded";
    public static final String IMAGE_MODERATED = "image_moderated";
    public static final String IMAGE_DELETED = "image_deleted";
    public static final String JOB_PROCESSED = "job_processed";
    public static final String JOB_DELIVERED = "job_delivered";
}
