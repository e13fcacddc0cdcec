package io.imagescaler.sr;

import java.awt.RenderingHints;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;

/** The network's RGB output joined with the source's enlarged alpha (if any), and its PNG encoding. */
public final class UpscaledImage {

    private UpscaledImage() {
    }

    /**
     * @param rgb opaque network output, {@code scale} times the source size
     * @return rgb itself when the source was opaque, else an ARGB image whose alpha is the source alpha
     *         enlarged bicubically (the network never saw it)
     */
    public static BufferedImage withAlpha(BufferedImage rgb, SourceImage source) {
        if (!source.hasAlpha()) return rgb;
        BufferedImage alphaIn = new BufferedImage(source.width(), source.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] a = ((DataBufferByte) alphaIn.getRaster().getDataBuffer()).getData();
        System.arraycopy(source.alpha(), 0, a, 0, a.length);
        int w = rgb.getWidth(), h = rgb.getHeight();
        BufferedImage alphaOut = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = alphaOut.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(alphaIn, 0, 0, w, h, null);
        g.dispose();
        byte[] big = ((DataBufferByte) alphaOut.getRaster().getDataBuffer()).getData();
        int[] src = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        BufferedImage argb = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        int[] dst = ((DataBufferInt) argb.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < dst.length; i++) dst[i] = (big[i] & 0xff) << 24 | (src[i] & 0xffffff);
        return argb;
    }

    public static byte[] png(BufferedImage image) {
        return PngEncoder.encode(image);
    }
}
