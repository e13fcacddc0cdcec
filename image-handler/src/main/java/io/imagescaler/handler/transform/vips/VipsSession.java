package io.imagescaler.handler.transform.vips;

import io.imagescaler.handler.transform.Backend;
import io.imagescaler.handler.transform.EncoderEffort;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Every native object one render makes: the images (GObjects, unreffed at the end whatever happened)
 * and the memory holding the source bytes, which libvips reads in place and so must outlive them.
 */
final class VipsSession implements Backend.Session {
    final Arena arena = Arena.ofConfined();
    /** The encoders' effort settings, for the render's encode. */
    final EncoderEffort effort;
    private final List<MemorySegment> images = new ArrayList<>();

    VipsSession(EncoderEffort effort) {
        this.effort = effort;
    }

    MemorySegment own(MemorySegment image) {
        if (image.equals(MemorySegment.NULL)) {
            throw new VipsException("libvips returned no image: " + Vips.error());
        }
        images.add(image);
        return image;
    }

    @Override
    public void close() {
        try {
            for (int i = images.size() - 1; i >= 0; i--) {
                Vips.unref(images.get(i));
            }
        } finally {
            images.clear();
            arena.close();
        }
    }
}
