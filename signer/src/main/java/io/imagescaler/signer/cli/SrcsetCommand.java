package io.imagescaler.signer.cli;

import io.imagescaler.signer.HashAlgorithm;
import io.imagescaler.signer.SigningKey;
import io.imagescaler.signer.Srcset;
import io.imagescaler.signer.UrlSigner;
import io.imagescaler.spec.ImageFormat;
import io.imagescaler.spec.ImageId;
import io.imagescaler.spec.TransformSpec;
import io.imagescaler.spec.Variant;
import io.imagescaler.spec.VariantPath;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints a signed {@code srcset} for one image: every width shares one wildcard-policy signature. */
@Command(name = "srcset", mixinStandardHelpOptions = true,
        description = "Print a signed srcset for one image (one custom-policy signature covering all its variants).")
final class SrcsetCommand implements Callable<Integer> {
    @Option(names = "--origin", required = true, description = "Distribution origin, e.g. https://d111.cloudfront.net")
    String origin;

    @Option(names = "--id", required = true, description = "Image id (43 characters).")
    String id;

    @Option(names = "--widths", required = true, split = ",", description = "Widths, e.g. 320,640,1280.")
    int[] widths;

    @Option(names = "--transform", defaultValue = "", description = "Other transform keys, e.g. fit_cover,q_75 (width is set per entry).")
    String transform;

    @Option(names = "--format", defaultValue = "auto", description = "jpg, png, webp, avif, gif or auto (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--key-pair-id", required = true)
    String keyPairId;

    @Option(names = "--private-key", required = true, description = "PEM file.")
    Path privateKey;

    @Option(names = "--expires", defaultValue = "1h", description = "Same formats as sign --expires (default: ${DEFAULT-VALUE}).")
    String expires;

    @Option(names = "--hash", defaultValue = "SHA1", description = "SHA1 or SHA256 (default: ${DEFAULT-VALUE}).")
    HashAlgorithm hash;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ImageId image = new ImageId(id);
        TransformSpec base = transform.isBlank() ? TransformSpec.builder().build() : TransformSpec.parse(transform);
        String ext = format.equals(VariantPath.AUTO) ? VariantPath.AUTO : ImageFormat.fromExtension(format)
                .orElseThrow(() -> new IllegalArgumentException("unknown format " + format)).extension();
        UrlSigner signer = UrlSigner.with(SigningKey.fromPemFile(keyPairId, privateKey)).hash(hash);
        String srcset = Srcset.signed(signer, origin, w -> Variant.API_PREFIX + image.value() + "/"
                + base.toBuilder().width(w).build().canonical() + "." + ext, new Moment(expires).resolve(Instant.now()), widths);
        spec.commandLine().getOut().println(srcset);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
