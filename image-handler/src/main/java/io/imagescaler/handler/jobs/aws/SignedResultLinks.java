package io.imagescaler.handler.jobs.aws;

import io.imagescaler.handler.jobs.ResultLinks;
import io.imagescaler.signer.SigningKey;
import io.imagescaler.signer.UrlSigner;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link ResultLinks} as CloudFront signed URLs (canned policy) under the distribution's {@code processed/*}
 * behaviour, signed with the project's signer. The key is read once, on first use (Secrets Manager on AWS, the
 * local edge's dev key file locally). Unlike S3 presigned URLs made with a Lambda role's temporary credentials,
 * these stay valid for the whole lifetime asked (7 days: as long as the results are kept).
 */
public final class SignedResultLinks implements ResultLinks {
    private final String base;
    private final Supplier<SigningKey> key;
    private final Duration lifetime;
    private final Clock clock;
    private volatile UrlSigner signer;

    public SignedResultLinks(String base, Supplier<SigningKey> key, Duration lifetime, Clock clock) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.key = key;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    @Override
    public Optional<URI> link(String key) {
        UrlSigner s = signer;
        if (s == null) {
            synchronized (this) {
                if (signer == null) {
                    signer = UrlSigner.with(this.key.get());
                }
                s = signer;
            }
        }
        return Optional.of(URI.create(s.signCanned(base + "/" + key, clock.instant().plus(lifetime))));
    }
}
