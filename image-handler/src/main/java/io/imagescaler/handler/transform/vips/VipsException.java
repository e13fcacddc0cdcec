package io.imagescaler.handler.transform.vips;

/** A libvips call failed; the message is libvips' own error text. */
final class VipsException extends RuntimeException {

    VipsException(String message) {
        super(message);
    }
}
