package io.imagescaler.handler.ingest;

import java.net.URI;

/** Fetches an image a message refers to by URL ({@code {"url":"https://..."}}). */
public interface WebReferences {

    /**
     * @param url      an absolute https URL whose host the caller has checked
     * @param maxBytes the largest image taken
     * @return the body of a 200 answer
     * @throws io.imagescaler.handler.error.ImageScalerException a 4xx kind when the URL answers anything but
     *         200 with at most {@code maxBytes}, cannot be reached or times out
     */
    byte[] fetch(URI url, long maxBytes);
}
