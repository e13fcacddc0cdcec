package io.imagescaler.handler.transform.portable;

import io.imagescaler.handler.transform.Background;

/**
 * Composites transparent pixels over the background when the output cannot carry alpha (JPEG, GIF) or
 * an opaque {@code bg_} colour was asked for: out = colour * a + background * (1 - a).
 */
final class Flatten implements Step {

    @Override
    public String stage() {
        return "effects";
    }

    @Override
    public void apply(RenderJob job) {
        if (!job.hasAlpha()) {
            return;
        }
        if (!Background.replacesAlpha(job.spec.background(), job.outputKeepsAlpha())) {
            return;
        }
        Background bg = Background.of(job.spec.background(), job.outputKeepsAlpha());
        Pixels p = job.pixels;
        int[] src = p.argb();
        int[] out = new int[src.length];
        for (int i = 0; i < src.length; i++) {
            int v = src[i];
            float a = (v >>> 24) / 255f;
            float rest = 1 - a;
            out[i] = Pixels.pack(255, Pixels.clamp(((v >> 16) & 0xff) * a + bg.r() * rest),
                    Pixels.clamp(((v >> 8) & 0xff) * a + bg.g() * rest), Pixels.clamp((v & 0xff) * a + bg.b() * rest));
        }
        job.pixels = new Pixels(p.width(), p.height(), out, false);
    }
}
