package io.imagescaler.handler.transform;

import io.imagescaler.handler.error.ImageScalerException.LimitExceeded;
import io.imagescaler.handler.transform.probe.Header;
import io.imagescaler.handler.transform.probe.HeaderProbe;

/**
 * The top of every engine: the header read and the source limits checked before a pixel is decoded.
 * Shared by the native {@link Pipeline} and the pure-Java one, so both refuse the same files with the
 * same words.
 */
public final class HeaderCheck {

    private HeaderCheck() {
    }

    public static Header read(byte[] source, Limits limits) {
        Header header = HeaderProbe.read(source, limits.maxFrames());
        SourceInfo info = header.info();
        if (info.pixels() > limits.maxSourcePixels()) {
            throw new LimitExceeded("the image is " + info.width() + "x" + info.height() + " ("
                    + Math.round(info.pixels() / 1e6) + " MP); at most " + Math.round(limits.maxSourcePixels() / 1e6)
                    + " MP are accepted");
        }
        if (info.frames() > limits.maxFrames()) {
            throw new LimitExceeded("the image has more than " + limits.maxFrames() + " frames");
        }
        return header;
    }
}
