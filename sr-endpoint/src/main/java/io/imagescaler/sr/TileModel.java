package io.imagescaler.sr;

import java.nio.FloatBuffer;
import java.util.function.Consumer;

/** A super-resolution network applied to one window: planar RGB in 0..1, {@code scale()} times larger out. */
public interface TileModel {

    int scale();

    /**
     * Runs the network once and hands its output to {@code sink} before returning.
     *
     * @param chw  planar RGB (all R, then G, then B), row-major, values in 0..1, exactly
     *             {@code 3 × width × height} values remaining; a native-order direct buffer is used as is
     * @param sink receives planar RGB of {@code width*scale × height*scale}, values in 0..1; the buffer is
     *             the model's and is valid only inside the call
     */
    void upscale(FloatBuffer chw, int width, int height, Consumer<FloatBuffer> sink);
}
