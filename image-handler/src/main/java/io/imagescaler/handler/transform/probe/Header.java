package io.imagescaler.handler.transform.probe;

import io.imagescaler.handler.transform.SourceFormat;
import io.imagescaler.handler.transform.SourceInfo;

/**
 * Everything the engine needs to know before decoding, read from the container alone: the public
 * {@link SourceInfo}, plus the embedded ICC profile (null when absent) and, for JPEG, whether the
 * pixels are CMYK/YCCK (which the fast decoder cannot colour-manage).
 */
public record Header(SourceInfo info, byte[] iccProfile, boolean cmyk) {

    public SourceFormat format() {
        return info.format();
    }
}
