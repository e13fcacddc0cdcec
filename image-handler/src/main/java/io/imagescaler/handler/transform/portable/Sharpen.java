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
            int sharpened = 0;
            for (int k = 0, shift = 24; k < 4; k++, shift -= 8) {
                int c = (v >>> shift) & 0xff;
                sharpened |= Pixels.clamp(c * (1 + amount) - blurred[i * 4 + k] * amount) << shift;
            }
            out[i] = sharpened;
        }
        job.pixels = new Pixels(p.width(), p.height(), out, p.alpha());
    }
}
