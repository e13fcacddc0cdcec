package io.imagescaler.handler.transform;

import io.imagescaler.handler.error.ImageScalerException.LimitExceeded;
import io.imagescaler.handler.transform.probe.Header;
import io.imagescaler.handler.transform.probe.HeaderProbe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The top of every engine: the header read and the source limits checked before a pixel is decoded.
 * Shared by the native {@link Pipeline} and the pure-Java one, so both refuse the same files with the
 * same words.
 */
public final class HeaderCheck {

    private HeaderCheck() {
    }

    public static Header read(byte[] source, Limits limits) {
        return checked(HeaderProbe.read(source, limits.maxFrames()), limits);
    }

    /**
     * The same for an original on disk (a large upload): the file is mapped read-only, so the walk
     * costs page cache, not heap, whatever its size.
     */
    public static Header read(Path file, Limits limits) {
        try (Arena arena = Arena.ofConfined();
             FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return checked(HeaderProbe.read(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena),
                    limits.maxFrames()), limits);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Header checked(Header header, Limits limits) {
        SourceInfo info = header.info();
        if (info.pixels() > limits.maxSourcePixels()) {
            throw new LimitExceeded("the image is " + info.width() + "x" + info.height() + " ("
                    + Math.round(info.pixels() / 1e6) + " MP); at most " + Math.round(limits.maxSourcePixels() / 1e6)
                    + " MP are accepted");
        }
        if (info.frames() > limits.maxFrames()) {
            throw new LimitExceeded("the image has more than " + limits.maxFrames() + " frames");
        }
        return header;
    }
}
