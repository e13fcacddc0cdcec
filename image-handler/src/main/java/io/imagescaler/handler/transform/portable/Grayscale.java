package io.imagescaler.handler.transform.portable;

/** {@code gray}: Rec. 601 luma (OpenCV's fixed-point weights) into all three channels; alpha is kept. */
final class Grayscale implements Step {

    @Override
    public String stage() {
        return "effects";
    }

    @Override
    public void apply(RenderJob job) {
        if (!job.spec.gray()) {
            return;
        }
        Pixels p = job.pixels;
        int[] src = p.argb();
        int[] out = new int[src.length];
        for (int i = 0; i < src.length; i++) {
            int y = luma(src[i]);
            out[i] = (src[i] & 0xff000000) | y << 16 | y << 8 | y;
        }
        job.pixels = new Pixels(p.width(), p.height(), out, p.alpha());
    }

    /** 0.299 R + 0.587 G + 0.114 B in 14-bit fixed point, rounded. */
    static int luma(int argb) {
        return (((argb >> 16) & 0xff) * 4899 + ((argb >> 8) & 0xff) * 9617 + (argb & 0xff) * 1868 + (1 << 13)) >> 14;
    }
}
