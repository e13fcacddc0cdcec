package io.imagescaler.handler.lambda;

import io.imagescaler.handler.transform.Limits;
import io.imagescaler.handler.transform.SourceInfo;
import io.imagescaler.handler.transform.TransformEngine;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.TransformSpec;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * SnapStart priming: before Lambda snapshots the initialised environment, render a small image to every
 * output format with the engine that serves (libvips: every codec loaded and run; either: JITs the
 * pipeline and the codecs) and presign a URL (loads the
 * SDK's signing and marshalling classes), so a restored environment answers its first request warm.
 * Nothing here touches the network. Registered with CRaC, which holds resources weakly: keep a reference.
 */
final class Priming implements Resource {
    private static final Logger LOG = LoggerFactory.getLogger(Priming.class);

    private final TransformEngine engine;
    private final S3Presigner presigner;
    private final String bucket;

    Priming(TransformEngine engine, S3Presigner presigner, String bucket) {
        this.engine = engine;
        this.presigner = presigner;
        this.bucket = bucket;
    }

    Priming register() {
        Core.getGlobalContext().register(this);
        return this;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        long t0 = System.nanoTime();
        prime();
        LOG.info("primed for the snapshot in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to refresh: credentials are read from the environment at each call.
    }

    /** The work itself, also run by a test so priming cannot silently rot. */
    int prime() {
        byte[] png = samplePng();
        SourceInfo info = engine.probe(png, Limits.DEFAULT);
        int bytes = 0;
        // every format the engine writes (AVIF and GIF included on libvips): each encoder's code is loaded
        // and run before the snapshot, so a restored function renders without loading anything
        for (ImageFormat format : engine.encodes()) {
            for (int i = 0; i < 3; i++) {
                bytes += engine.render(png, info, TransformSpec.parse("w_64,h_64,fit_cover"), format, Limits.DEFAULT)
                        .bytes().length;
            }
        }
        presigner.presignGetObject(r -> r.signatureDuration(Duration.ofMinutes(1))
                .getObjectRequest(g -> g.bucket(bucket).key("priming")));
        return bytes;
    }

    private static byte[] samplePng() {
        BufferedImage img = new BufferedImage(256, 192, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 192; y++) {
            for (int x = 0; x < 256; x++) {
                img.setRGB(x, y, (0xff << 24) | (x << 16) | (y << 8) | ((x ^ y) & 0xff));
            }
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
