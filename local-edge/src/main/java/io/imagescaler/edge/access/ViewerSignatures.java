package io.imagescaler.edge.access;

import io.imagescaler.signer.DevKeyPair;
import io.imagescaler.signer.PemKeys;
import io.imagescaler.signer.SignatureVerifier;
import io.imagescaler.signer.SignedCookies;
import io.imagescaler.signer.TrustedKeyGroup;
import io.imagescaler.signer.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The signed-URL check of the CloudFront behaviours that serve pixels ({@code GET/HEAD
 * /v1/images/{id}/{anything but metadata}}): a trusted key group made of the edge's dev key pair (created
 * once under the data dir) plus any extra public keys, checked by the signer's {@link SignatureVerifier}
 * against the URL exactly as the viewer sent it. Metadata, uploads and deletes are not behind signatures:
 * the handler checks the caller's bearer token there.
 */
public final class ViewerSignatures {
    /**
     * The variant and original paths ({@code metadata} and {@code jobs} are the image sub-resources that are not
     * pixels) and a job's results ({@code processed/*}).
     */
    private static final Pattern PROTECTED = Pattern.compile("^(/v1/images/[^/]+/(?!metadata$|jobs$)[^/]+|/processed/.+)$");

    private final DevKeyPair devKey;
    private final TrustedKeyGroup trusted;
    private final SignatureVerifier verifier;
    private final boolean required;
    private final Clock clock;

    private ViewerSignatures(DevKeyPair devKey, TrustedKeyGroup trusted, boolean required, Clock clock) {
        this.devKey = devKey;
        this.trusted = trusted;
        this.verifier = new SignatureVerifier(trusted);
        this.required = required;
        this.clock = clock;
    }

    /**
     * @param extraKeys key pair id → public key PEM, trusted besides the dev key
     * @param required  false turns the check off (a developer's switch; CloudFront has no such thing)
     */
    public static ViewerSignatures open(Path dataDir, Map<String, Path> extraKeys, boolean required, Clock clock)
            throws IOException {
        DevKeyPair dev = DevKeyPair.loadOrCreate(dataDir.resolve("cloudfront-keys"), DevKeyPair.DEFAULT_KEY_PAIR_ID);
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        keys.put(dev.keyPairId(), dev.publicKey());
        for (Map.Entry<String, Path> e : extraKeys.entrySet()) {
            keys.put(e.getKey(), PemKeys.readPublicKey(e.getValue()));
        }
        return new ViewerSignatures(dev, TrustedKeyGroup.of(keys), required, clock);
    }

    public DevKeyPair devKey() {
        return devKey;
    }

    public TrustedKeyGroup trusted() {
        return trusted;
    }

    public boolean required() {
        return required;
    }

    /** Whether CloudFront would ask this request for a signature. */
    public boolean protects(String method, String path) {
        return required && (method.equals("GET") || method.equals("HEAD")) && PROTECTED.matcher(path).matches();
    }

    /**
     * @param viewerUrl    scheme, Host, path and query exactly as the viewer sent them (before any rewrite)
     * @param cookieHeader the request's {@code Cookie} header, or null
     */
    public Verdict verify(String viewerUrl, String cookieHeader, String clientIp) {
        return verifier.verify(viewerUrl, SignedCookies.parseCookieHeader(cookieHeader), clientIp, clock.instant());
    }
}
