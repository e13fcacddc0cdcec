package io.imagescaler.handler.transform;

import io.imagescaler.spec.ImageFormat;

/**
 * An animated GIF or WebP asked for as GIF or WebP stays animated: every frame goes through the same
 * pixel steps as a still (with one crop window, so a smart crop does not jump), and the frames are
 * encoded back with their durations and loop count. Other outputs get the first frame. Frames are
 * held decoded at once, so an animation whose frames add up to more than the source pixel limit is
 * served as its first frame too, as is any animation on a backend that cannot animate.
 */
final class Animation {

    private Animation() {
    }

    static boolean wanted(RenderJob job) {
        SourceInfo info = job.header.info();
        boolean animatedSource = info.frames() > 1
                && (info.format() == SourceFormat.GIF || info.format() == SourceFormat.WEBP);
        boolean animatedOutput = job.format == ImageFormat.GIF || job.format == ImageFormat.WEBP;
        return animatedSource && animatedOutput && job.backend.animates()
                && (long) info.frames() * info.pixels() <= job.limits.maxSourcePixels();
    }
}
