package io.imagescaler.handler.transform.portable;

/** Unsharp mask (sigma 1 px) with the {@code sharpen_} amount: out = img + amount * (img - blurred). */
final class Sharpen implements Step {

    @Override
    public String stage() {
        return "effects";
    }

    @Override
    public void apply(RenderJob job) {
        double amount = job.spec.sharpen();
        if (amount <= 0) {
            return;
        }
        Pixels p = job.pixels;
        float[] blurred = Blur.blurred(p, 1.0);
        int[] src = p.argb();
        int[] out = new int[src.length];
        for (int i = 0; i < src.length; i++) {
            int v = src[i];
            int[] c = {v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff};
            int[] s = new int[4];
            for (int k = 0; k < 4; k++) {
                s[k] = Pixels.clamp(c[k] * (1 + amount) - blurred[i * 4 + k] * amount);
            }
            out[i] = Pixels.pack(s[0], s[1], s[2], s[3]);
        }
        job.pixels = new Pixels(p.width(), p.height(), out, p.alpha());
    }
}
