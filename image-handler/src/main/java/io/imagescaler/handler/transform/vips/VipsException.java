package io.imagescaler.handler.transform.vips;

/** A libvips call failed; the message is libvips' own error text. */
final class VipsException extends RuntimeException {

    VipsException(String message) {
        super(message);
    }

    /** Rethrows what a downcall threw: unchecked as it is, anything else wrapped. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
