package io.imagescaler.handler.jobs;

import java.net.URI;
import java.util.Optional;

/**
 * Links to a job's stored results that work without an account: CloudFront signed URLs on AWS and at the
 * local edge, valid as long as the results are kept (the processed/ lifecycle).
 */
public interface ResultLinks {

    /** A link to the generated bucket's object {@code key}; empty when links are not configured. */
    Optional<URI> link(String key);

    ResultLinks NONE = key -> Optional.empty();
}
