package io.imagescaler.handler.transform;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_WEBP_QUALITY;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecodeanimation;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencodeanimation;

import io.imagescaler.handler.error.ImageScalerException.CorruptImage;
import io.imagescaler.spec.ImageFormat;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;

/**
 * An animated GIF or WebP asked for as GIF or WebP stays animated: every frame (composited by the
 * decoder, so each is a whole picture) goes through the same pixel steps as a still, and the frames
 * are encoded back with their durations and loop count. Other outputs get the first frame, as
 * before. Decoded frames are all held at once, so an animation whose frames add up to more than
 * the source pixel limit is served as its first frame too: memory stays within the still bound.
 */
record Animation(List<Mat> frames, IntPointer durations, int loopCount) {

    /** libwebp's largest loop count; OpenCV reports GIF's "forever" as 65536. 0 means forever. */
    private static final int MAX_LOOPS = 65535;

    static boolean wanted(RenderJob job) {
        SourceInfo info = job.header.info();
        boolean animatedSource = info.frames() > 1
                && (info.format() == SourceFormat.GIF || info.format() == SourceFormat.WEBP);
        boolean animatedOutput = job.format == ImageFormat.GIF || job.format == ImageFormat.WEBP;
        return animatedSource && animatedOutput
                && (long) info.frames() * info.pixels() <= job.limits.maxSourcePixels();
    }

    static Animation decode(byte[] source) {
        var decoded = new org.bytedeco.opencv.global.opencv_imgcodecs.Animation();
        // A one-row Mat: the WebP reader refuses a column of bytes.
        Mat bytes = new Mat(1, source.length, CV_8UC1, new BytePointer(source));
        if (!imdecodeanimation(bytes, decoded) || decoded.frames().size() == 0) {
            throw new CorruptImage("the animation's frames could not be decoded", null);
        }
        List<Mat> frames = new ArrayList<>();
        for (long i = 0; i < decoded.frames().size(); i++) {
            frames.add(PixelLayout.toBgrOrBgra8(decoded.frames().get(i)));
        }
        int loops = decoded.loop_count() > MAX_LOOPS ? 0 : decoded.loop_count();
        return new Animation(frames, decoded.durations(), loops);
    }

    byte[] encode(List<Mat> rendered, ImageFormat format, int quality) {
        var out = new org.bytedeco.opencv.global.opencv_imgcodecs.Animation();
        MatVector vector = new MatVector();
        rendered.forEach(vector::push_back);
        out.frames(vector);
        out.durations(durations);
        out.loop_count(loopCount);
        String extension = format == ImageFormat.WEBP ? ".webp" : ".gif";
        int[] params = format == ImageFormat.WEBP ? new int[] {IMWRITE_WEBP_QUALITY, quality} : new int[0];
        BytePointer buffer = new BytePointer();
        if (!imencodeanimation(new BytePointer(extension), out, buffer, new IntPointer(params))) {
            throw new IllegalStateException("the animated " + extension + " encoder failed");
        }
        byte[] encoded = new byte[(int) buffer.limit()];
        buffer.get(encoded);
        return encoded;
    }
}
