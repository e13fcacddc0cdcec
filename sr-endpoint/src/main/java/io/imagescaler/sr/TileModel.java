package io.imagescaler.sr;

/** A super-resolution network applied to one tile: planar RGB in 0..1, {@code scale()} times larger out. */
public interface TileModel {

    int scale();

    /**
     * @param chw    planar RGB (all R, then G, then B), row-major, values in 0..1
     * @return planar RGB of {@code width*scale × height*scale}, values in 0..1
     */
    float[] upscale(float[] chw, int width, int height);
}
